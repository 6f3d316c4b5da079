using System.Globalization;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Serving;

/// <summary>Which model this instance serves and how closely it follows the registry (section LeadScoring:Serving).</summary>
public sealed class ServingOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Serving";

    /// <summary>The registered model whose Production version is served.</summary>
    public string ModelName { get; set; } = "lead-scoring";

    /// <summary>How often the registry is polled for a new Production version.</summary>
    public TimeSpan RegistryPollInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>What the service does on first start with an empty registry (section LeadScoring:Bootstrap).</summary>
public sealed class BootstrapOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Bootstrap";

    /// <summary>Fewest simulated leads to train on: fewer gives a model too rough to serve.</summary>
    public const int MinRows = 1_000;

    /// <summary>Most simulated leads to train on: more keeps a first start busy for minutes.</summary>
    public const int MaxRows = 10_000_000;

    /// <summary>Train, register and promote a first model on simulated leads when nothing is in Production.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Simulated leads to train on.</summary>
    public int Rows { get; set; } = 20_000;

    /// <summary>Seed for the simulated leads and the training.</summary>
    public int Seed { get; set; } = 42;
}

/// <summary>Checks <see cref="ServingOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class ServingOptionsValidator : IValidateOptions<ServingOptions>
{
    private static readonly TimeSpan LongestPoll = TimeSpan.FromDays(1);

    public ValidateOptionsResult Validate(string? name, ServingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (!RegistryNames.IsValidModelName(options.ModelName))
        {
            failures.Add($"{ServingOptions.SectionName}:ModelName must be 1–{RegistryNames.MaxModelNameLength} letters, digits, '-', '_' or '.' (got '{options.ModelName}')");
        }

        if (options.RegistryPollInterval <= TimeSpan.Zero || options.RegistryPollInterval > LongestPoll)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{ServingOptions.SectionName}:RegistryPollInterval must be more than 0 and at most 1 day (got {options.RegistryPollInterval})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>Checks <see cref="BootstrapOptions"/> at start-up; each failure names its configuration key.</summary>
internal sealed class BootstrapOptionsValidator : IValidateOptions<BootstrapOptions>
{
    public ValidateOptionsResult Validate(string? name, BootstrapOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Rows is < BootstrapOptions.MinRows or > BootstrapOptions.MaxRows
            ? ValidateOptionsResult.Fail(string.Create(CultureInfo.InvariantCulture, $"{BootstrapOptions.SectionName}:Rows must be between {BootstrapOptions.MinRows} and {BootstrapOptions.MaxRows} (got {options.Rows})"))
            : ValidateOptionsResult.Success;
    }
}
