using System.Security.Cryptography;
using System.Text;
using LeadScoring.Server.Hosting;
using LeadScoring.Storage;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Registry;

/// <summary>
/// The key that guards the admin routes. Configured (LEADSCORING_ADMIN_KEY or LeadScoring:AdminKey), or else
/// generated once and kept in &lt;data directory&gt;/admin-key (readable by its owner only).
/// </summary>
public sealed partial class AdminKey
{
    /// <summary>The file name of a generated key inside the data directory.</summary>
    public const string FileName = "admin-key";

    private readonly byte[] _key;

    public AdminKey(IOptions<LeadScoringOptions> options, IOptions<StorageOptions> storage, ILogger<AdminKey> logger)
    {
        var configured = options.Value.AdminKey;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var path = Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, FileName));
            configured = File.Exists(path) ? File.ReadAllText(path).Trim() : Create(path);
            LogKeyFile(logger, path);
        }

        _key = Encoding.UTF8.GetBytes(configured);
    }

    /// <summary>True when <paramref name="candidate"/> is the key (compared in constant time).</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), _key);

    private static string Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return key;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "admin routes need the X-Api-Key header; the key is in {Path}")]
    private static partial void LogKeyFile(ILogger logger, string path);
}

/// <summary>Rejects admin requests without the right X-Api-Key with a 401 problem.</summary>
public sealed class AdminKeyFilter(AdminKey key) : IEndpointFilter
{
    /// <summary>The header carrying the key.</summary>
    public const string Header = "X-Api-Key";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var supplied = context.HttpContext.Request.Headers[Header].ToString();
        if (key.Matches(supplied))
        {
            return next(context);
        }

        return ValueTask.FromResult<object?>(TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Admin key required",
            detail: supplied.Length == 0 ? $"Send the admin key in the {Header} header." : $"The {Header} header does not hold the admin key."));
    }
}
