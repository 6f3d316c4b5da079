namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// A set of UTF-8 keys compared byte for byte (ordinal, like the database's lead ids), kept in one growing byte
/// arena: a window's million lead ids cost a few arrays instead of a million strings (and the GC time of keeping
/// them alive). Open addressing with linear probing over <see cref="HashCode"/>, which is seeded per process, so
/// crafted ids cannot force collisions.
/// </summary>
internal sealed class Utf8KeySet
{
    private byte[] _bytes = new byte[16 * 1024];
    private int _used;
    private int[] _starts = new int[512];
    private int[] _lengths = new int[512];
    private int[] _hashes = new int[512];

    // Entry index + 1 per slot, 0 = empty; kept at most half full.
    private int[] _slots = new int[1024];

    public int Count { get; private set; }

    /// <summary>Adds <paramref name="key"/>; false when an equal key is already in the set.</summary>
    public bool Add(ReadOnlySpan<byte> key)
    {
        var hash = Hash(key);
        var mask = _slots.Length - 1;
        var slot = hash & mask;
        while (_slots[slot] is var entry and > 0)
        {
            var e = entry - 1;
            if (_hashes[e] == hash && _bytes.AsSpan(_starts[e], _lengths[e]).SequenceEqual(key))
            {
                return false;
            }

            slot = (slot + 1) & mask;
        }

        if (Count == _starts.Length)
        {
            var capacity = Count * 2;
            Array.Resize(ref _starts, capacity);
            Array.Resize(ref _lengths, capacity);
            Array.Resize(ref _hashes, capacity);
        }

        if (key.Length > _bytes.Length - _used)
        {
            Array.Resize(ref _bytes, (int)Math.Min(Array.MaxLength, Math.Max((long)_bytes.Length * 2, (long)_used + key.Length)));
            if (key.Length > _bytes.Length - _used)
            {
                throw new InvalidOperationException("the window's lead ids exceed 2 GB");
            }
        }

        key.CopyTo(_bytes.AsSpan(_used));
        _starts[Count] = _used;
        _lengths[Count] = key.Length;
        _hashes[Count] = hash;
        _used += key.Length;
        _slots[slot] = ++Count;
        if (Count * 2 > _slots.Length)
        {
            Rehash();
        }

        return true;
    }

    private static int Hash(ReadOnlySpan<byte> key)
    {
        var hash = default(HashCode);
        hash.AddBytes(key);
        // The low bits pick the slot: fold the high ones in.
        var h = hash.ToHashCode();
        return h ^ (h >>> 16);
    }

    private void Rehash()
    {
        var slots = new int[_slots.Length * 2];
        var mask = slots.Length - 1;
        for (var e = 0; e < Count; e++)
        {
            var slot = _hashes[e] & mask;
            while (slots[slot] != 0)
            {
                slot = (slot + 1) & mask;
            }

            slots[slot] = e + 1;
        }

        _slots = slots;
    }
}
