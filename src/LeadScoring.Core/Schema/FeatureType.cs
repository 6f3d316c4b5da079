namespace LeadScoring.Core.Schema;

/// <summary>How a feature's raw value is read and turned into model input.</summary>
public enum FeatureType
{
    /// <summary>A real number; missing values stay missing (NaN) for the model to handle.</summary>
    Numeric,

    /// <summary>A label from an open set; unseen values at scoring time are treated as "unknown".</summary>
    Categorical,

    /// <summary>Yes/no, true/false, 1/0, y/n, t/f (case-insensitive); anything else is an error.</summary>
    Boolean,
}
