using System.Security.Cryptography;
using System.Text;
using LeadScoring.Storage;
using Microsoft.Extensions.Options;

namespace LeadScoring.Server.Registry;

/// <summary>
/// The key that guards the admin routes. Configured (LEADSCORING_ADMIN_KEY or LeadScoring:Admin:Key), or else
/// generated once and kept in &lt;data directory&gt;/admin-key (readable by its owner only). A key shorter than
/// <see cref="AdminOptions.MinKeyLength"/> characters stops the service: an empty one would let anyone in.
/// </summary>
public sealed partial class AdminKey
{
    /// <summary>The file name of a generated key inside the data directory.</summary>
    public const string FileName = "admin-key";

    private readonly byte[] _key;

    public AdminKey(IOptions<AdminOptions> options, IOptions<StorageOptions> storage, ILogger<AdminKey> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var configured = options.Value.Key;
        if (string.IsNullOrEmpty(configured))
        {
            var path = Path.GetFullPath(Path.Combine(storage.Value.DataDirectory, FileName));
            configured = File.Exists(path) ? Read(path) : Create(path);
            LogKeyFile(logger, path);
        }

        _key = Encoding.UTF8.GetBytes(configured);
    }

    /// <summary>True when <paramref name="candidate"/> is the key (compared in constant time); never for an empty candidate.</summary>
    public bool Matches(string? candidate) => Matches(_key, candidate);

    /// <summary>
    /// True when <paramref name="candidate"/> is <paramref name="key"/> (UTF-8, compared in constant time); never for an
    /// empty candidate or a null key. Every API key (admin, ingest) is checked this one way.
    /// </summary>
    internal static bool Matches(byte[]? key, string? candidate) =>
        key is not null && !string.IsNullOrEmpty(candidate) && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(candidate), key);

    private static string Read(string path)
    {
        var key = File.ReadAllText(path).Trim();
        if (key.Length < AdminOptions.MinKeyLength)
        {
            throw new InvalidOperationException(
                $"The admin key file {path} holds {(key.Length == 0 ? "no key" : $"a key of only {key.Length} characters")}; admin routes would be unprotected. " +
                $"Delete the file to have a new key generated, write a key of at least {AdminOptions.MinKeyLength} characters into it, or set LEADSCORING_ADMIN_KEY.");
        }

        return key;
    }

    // Written to a temporary file that is private from creation, flushed to disk, then renamed into place: a
    // crash or a full disk leaves either no key file or a complete one, never an empty or world-readable one.
    private static string Create(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}.tmp";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var file = new FileStream(temporary, options))
            {
                file.Write(Encoding.UTF8.GetBytes(key + "\n"));
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: false);
            return key;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance on the same data directory wrote its key first; use that one.
            return Read(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The admin key file {path} could not be written ({e.Message}). Fix the data directory, or set LEADSCORING_ADMIN_KEY.", e);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
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
