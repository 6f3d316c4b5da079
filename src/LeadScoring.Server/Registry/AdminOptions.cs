using System.Globalization;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Registry;

/// <summary>The admin (registry) routes' settings, bound from <see cref="SectionName"/> and validated at start.</summary>
public sealed class AdminOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "LeadScoring:Admin";

    /// <summary>The shortest admin key accepted, configured or read from the key file.</summary>
    public const int MinKeyLength = 16;

    /// <summary>
    /// Key for the admin routes, sent as X-Api-Key (at least <see cref="MinKeyLength"/> characters). When unset,
    /// one is generated on first start and kept in &lt;data directory&gt;/admin-key.
    /// </summary>
    public string? Key { get; set; }

    /// <summary>Largest model package archive accepted by the upload route, in bytes.</summary>
    public long MaxPackageBytes { get; set; } = 256L << 20;

    /// <summary>Longest reason or description accepted by the admin routes, in characters.</summary>
    public int MaxReasonLength { get; set; } = 1000;
}

/// <summary>Checks <see cref="AdminOptions"/> at start; each failure names its configuration key.</summary>
internal sealed class AdminOptionsValidator : IValidateOptions<AdminOptions>
{
    // A package archive is read into one array; 1 GiB is far above any real package (see ModelPackage's caps).
    private const long MaxPackageBytesCeiling = 1L << 30;
    private const int MaxReasonLengthCeiling = 100_000;

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Key is { Length: > 0 } key && key.Trim().Length < AdminOptions.MinKeyLength)
        {
            failures.Add(Invariant($"{AdminOptions.SectionName}:{nameof(AdminOptions.Key)} must be at least {AdminOptions.MinKeyLength} characters (got {key.Trim().Length}); set a longer key, or none to have one generated"));
        }

        if (options.MaxPackageBytes is < 1024 or > MaxPackageBytesCeiling)
        {
            failures.Add(Invariant($"{AdminOptions.SectionName}:{nameof(AdminOptions.MaxPackageBytes)} must be between 1024 and {MaxPackageBytesCeiling} (got {options.MaxPackageBytes})"));
        }

        if (options.MaxReasonLength is < 1 or > MaxReasonLengthCeiling)
        {
            failures.Add(Invariant($"{AdminOptions.SectionName}:{nameof(AdminOptions.MaxReasonLength)} must be between 1 and {MaxReasonLengthCeiling} (got {options.MaxReasonLength})"));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
