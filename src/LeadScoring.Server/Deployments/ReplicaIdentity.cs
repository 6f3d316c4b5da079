using System.Globalization;
using System.Security.Cryptography;

namespace LeadScoring.Server.Deployments;

/// <summary>
/// This process's name among the replicas: host name, process id, start time and 4 random bytes (two services in one
/// test process share the rest). It keys the replica's arm-counter rows and owns the supervisor's lease. It need not
/// survive a restart: a restarted process counts from zero into new rows of its own (its old rows stay, complete as
/// last flushed, and are still summed), and its old lease simply expires.
/// </summary>
public sealed class ReplicaIdentity(TimeProvider time)
{
    /// <summary>The replica id, e.g. "web-1:4242:20261202T091500Z:9f3a0c1d".</summary>
    public string Id { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}:{Environment.ProcessId}:{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}:{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}");
}
