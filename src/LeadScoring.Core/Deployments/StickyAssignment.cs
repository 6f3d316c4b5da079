using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace LeadScoring.Core.Deployments;

/// <summary>
/// Sticky arm assignment: a lead's position in [0, 1) is a hash of its id salted per deployment, so the same lead gets
/// the same arm on every request, replica and restart, and different deployments split leads independently. A lead is
/// the challenger's when its position is below the challenger's share, so raising a share only moves leads from the
/// champion to the challenger, never back.
/// </summary>
public static class StickyAssignment
{
    private const int StackLimit = 512;
    private const double TwoToMinus53 = 1.0 / (1UL << 53);

    /// <summary>
    /// The lead's position in [0, 1): SHA-256 of UTF-8 "<paramref name="salt"/>:<paramref name="leadId"/>", its first 8 bytes
    /// read as a big-endian unsigned integer and divided by 2^64 (keeping the top 53 bits, so the result is exactly a
    /// double and never rounds up to 1).
    /// </summary>
    public static double Position(string salt, string leadId)
    {
        ArgumentNullException.ThrowIfNull(salt);
        ArgumentNullException.ThrowIfNull(leadId);
        var length = Encoding.UTF8.GetMaxByteCount(salt.Length + 1 + leadId.Length);
        byte[]? rented = null;
        var buffer = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            var written = Encoding.UTF8.GetBytes(salt, buffer);
            buffer[written++] = (byte)':';
            written += Encoding.UTF8.GetBytes(leadId, buffer[written..]);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer[..written], hash);
            return (BinaryPrimitives.ReadUInt64BigEndian(hash) >> 11) * TwoToMinus53;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>True when the lead falls in the challenger's <paramref name="share"/> (0–1) of a deployment salted with <paramref name="salt"/>.</summary>
    public static bool IsChallenger(string salt, string leadId, double share) => Position(salt, leadId) < share;
}
