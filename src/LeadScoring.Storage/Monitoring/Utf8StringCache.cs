namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// The strings of the first few distinct UTF-8 values met (a feature's categories, the bands), found by comparing
/// bytes: cheaper than decoding every value to look it up. Values past the first <see cref="Size"/> go through
/// the builder's dictionary.
/// </summary>
internal sealed class Utf8StringCache
{
    private const int Size = 32;
    private readonly byte[][] _keys = new byte[Size][];
    private readonly string[] _values = new string[Size];
    private int _count;

    public string Get(ReadOnlySpan<byte> utf8, MonitoringWindowBuilder builder)
    {
        for (var i = 0; i < _count; i++)
        {
            if (utf8.SequenceEqual(_keys[i]))
            {
                return _values[i];
            }
        }

        var text = builder.Shared(utf8);
        if (_count < Size)
        {
            _keys[_count] = utf8.ToArray();
            _values[_count++] = text;
        }

        return text;
    }
}
