namespace LeadScoring.Core.Monitoring.Investigation;

/// <summary>
/// Everything the investigation checklist looks at, gathered by the caller from the real stores: the service's
/// traffic, recent model and deployment changes, the outcomes feed, a monitoring report of the period, and what the
/// model looked like at training time.
/// </summary>
/// <param name="Days">The period investigated, in days up to now.</param>
/// <param name="Service">Traffic and errors.</param>
/// <param name="Changes">Model and deployment changes in the period, oldest first.</param>
/// <param name="Outcomes">The outcomes feed from the CRM.</param>
/// <param name="Current">The period's monitoring report (drift, quality, performance, business); null when no lead was scored.</param>
/// <param name="Training">The served model's figures at training time.</param>
/// <param name="Shadow">A shadow or split comparison running now, when there is one.</param>
public sealed record InvestigationEvidence(
    int Days,
    ServiceEvidence Service,
    IReadOnlyList<ChangeEvidence> Changes,
    OutcomeEvidence Outcomes,
    WindowReport? Current,
    TrainingEvidence Training,
    ShadowEvidence? Shadow);

/// <summary>The service's traffic over the period and the period before it.</summary>
/// <param name="ScoredLeads">Leads scored in the period (from the prediction log).</param>
/// <param name="ScoredLeadsBefore">Leads scored in the period of the same length before it.</param>
/// <param name="Requests">Scoring requests this instance answered since it started, when known (live counters).</param>
/// <param name="Errors">Of them, answered with a server error, when known.</param>
public sealed record ServiceEvidence(long ScoredLeads, long ScoredLeadsBefore, long? Requests = null, long? Errors = null)
{
    /// <summary>Errors / requests; null when unknown or no requests.</summary>
    public double? ErrorRate => Requests is > 0 && Errors is { } errors ? (double)errors / Requests.Value : null;
}

/// <summary>One change to what is served: a stage move, an alias, a rollback, or a deployment's step.</summary>
/// <param name="At">When.</param>
/// <param name="What">The change in words ("v3 moved to Production by alice: retrained").</param>
/// <param name="ChangesServedModel">True when it changed the model answering leads (a promotion, rollback, canary step or approval).</param>
public sealed record ChangeEvidence(DateTimeOffset At, string What, bool ChangesServedModel);

/// <summary>The outcomes feed.</summary>
/// <param name="Received">Outcomes received in the period.</param>
/// <param name="MatureLeads">Leads of the period old enough that their outcome should be known (older than the P90 conversion delay).</param>
/// <param name="MatureLabelled">Of them, with an outcome.</param>
/// <param name="DelayP90">The P90 conversion delay measured from the outcomes; null when none matched.</param>
public sealed record OutcomeEvidence(long Received, long MatureLeads, long MatureLabelled, TimeSpan? DelayP90)
{
    /// <summary>MatureLabelled / MatureLeads; null when no lead is mature.</summary>
    public double? MatureLabelledShare => MatureLeads == 0 ? null : (double)MatureLabelled / MatureLeads;
}

/// <summary>The served model at training time (held-out figures recorded in its package).</summary>
/// <param name="Version">The served version.</param>
/// <param name="RocAuc">Held-out ROC AUC.</param>
/// <param name="Ece">Held-out expected calibration error.</param>
/// <param name="PositiveRate">Conversion rate of the training data.</param>
/// <param name="ConversionByBand">Held-out conversion rate per score band.</param>
public sealed record TrainingEvidence(int Version, double? RocAuc, double? Ece, double? PositiveRate, IReadOnlyDictionary<string, double> ConversionByBand);

/// <summary>A comparison with a challenger running now.</summary>
/// <param name="DeploymentId">The deployment.</param>
/// <param name="Mode">shadow, ab or canary.</param>
/// <param name="ChallengerVersion">The challenger.</param>
/// <param name="ChampionAuc">The champion's realised AUC in the deployment's window.</param>
/// <param name="ChallengerAuc">The challenger's.</param>
/// <param name="Recommendation">The analysis's recommendation (continue, promote, stop, withheld).</param>
public sealed record ShadowEvidence(long DeploymentId, string Mode, int ChallengerVersion, double? ChampionAuc, double? ChallengerAuc, string Recommendation);
