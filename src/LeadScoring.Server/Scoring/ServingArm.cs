using LeadScoring.Storage.Predictions;

namespace LeadScoring.Server.Scoring;

/// <summary>Which deployment arm scored a lead.</summary>
public enum ServingArm
{
    /// <summary>The Production model.</summary>
    Champion,

    /// <summary>The deployment's challenger, answering its share of the leads (ab, canary).</summary>
    Challenger,

    /// <summary>The deployment's shadow model, scoring beside the champion without answering.</summary>
    Shadow,
}

/// <summary>The arms' wire names (responses, the prediction log, the arm counters).</summary>
public static class ServingArmNames
{
    /// <summary>"champion", "challenger" or "shadow" (<see cref="ServingArms"/>).</summary>
    public static string Of(ServingArm arm) => arm switch
    {
        ServingArm.Challenger => ServingArms.Challenger,
        ServingArm.Shadow => ServingArms.Shadow,
        _ => ServingArms.Champion,
    };
}
