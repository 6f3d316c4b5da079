using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace LeadScoring.Storage.Monitoring;

/// <summary>
/// Collects a window's rows (each lead's first, see <see cref="MonitoringWindowPipeline"/>) into columns, parses the features JSON with
/// <see cref="Utf8JsonReader"/> straight from UTF-8, and shares one string per distinct category and band (looked up
/// by its UTF-8 bytes) so a million rows allocate only their columns.
/// </summary>
internal sealed class MonitoringWindowBuilder
{
    // Columns grow by doubling up to a segment, then by whole segments joined once at the end: a million rows
    // allocate their columns about twice, not the four times of doubling and trimming.
    private const int SegmentRows = 1 << 16;

    private readonly List<Segment> _segments = [];
    private readonly MonitoringFeature[] _features;
    private readonly byte[][] _names;
    private readonly double[]?[] _numeric;
    private readonly string?[]?[] _categorical;
    private readonly Utf8StringCache[] _categories;
    private readonly Utf8StringCache _bandStrings = new();
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _stringsBySpan;
    private char[] _chars = new char[256];
    private double[] _scores;
    private string[] _bands;
    private bool?[] _converted;
    private double?[] _revenue;
    private long[] _scoredAt;
    private int[] _versions;

    public MonitoringWindowBuilder(IReadOnlyList<MonitoringFeature> features, int capacity = 1024)
    {
        _features = [.. features];
        _names = [.. _features.Select(f => Encoding.UTF8.GetBytes(f.Name))];
        _numeric = new double[]?[_features.Length];
        _categorical = new string?[]?[_features.Length];
        _categories = [.. _features.Select(_ => new Utf8StringCache())];
        _stringsBySpan = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        capacity = Math.Clamp(capacity, 16, SegmentRows);
        for (var f = 0; f < _features.Length; f++)
        {
            if (_features[f].Kind == MonitoringFeatureKind.Numeric)
            {
                _numeric[f] = NewNumeric(capacity, 0);
            }
            else
            {
                _categorical[f] = new string?[capacity];
            }
        }

        _scores = new double[capacity];
        _bands = new string[capacity];
        _converted = new bool?[capacity];
        _revenue = new double?[capacity];
        _scoredAt = new long[capacity];
        _versions = new int[capacity];
    }

    public int Count { get; private set; }

    private int SegmentStart => _segments.Count * SegmentRows;

    /// <summary>Adds a lead's first row.</summary>
    public void Add(long scoredAtTicks, int version, double score, ReadOnlySpan<byte> band, ReadOnlySpan<byte> featuresJson, bool? converted, double? revenue)
    {
        var i = Count - SegmentStart;
        if (i == _scores.Length)
        {
            Grow();
            i = Count - SegmentStart;
        }

        _scoredAt[i] = scoredAtTicks;
        _versions[i] = version;
        _scores[i] = score;
        _bands[i] = _bandStrings.Get(band, this);
        _converted[i] = converted;
        _revenue[i] = revenue;
        if (!TryReadCompact(i, featuresJson))
        {
            ReadFeatures(i, featuresJson);
        }
        Count++;
    }

    public MonitoringWindowColumns Build()
    {
        var numeric = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var categorical = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        for (var f = 0; f < _features.Length; f++)
        {
            if (_numeric[f] is { } values)
            {
                var column = f;
                numeric[_features[f].Name] = Join(values, s => s.Numeric[column]!);
            }
            else
            {
                var column = f;
                categorical[_features[f].Name] = Join(_categorical[f]!, s => s.Categorical[column]!);
            }
        }

        return new MonitoringWindowColumns(
            Count, numeric, categorical, Join(_scores, s => s.Scores), Join(_bands, s => s.Bands), Join(_converted, s => s.Converted),
            Join(_revenue, s => s.Revenue), Join(_scoredAt, s => s.ScoredAt), Join(_versions, s => s.Versions));
    }

    private static double[] NewNumeric(int capacity, int filledUpTo)
    {
        var values = new double[capacity];
        values.AsSpan(filledUpTo).Fill(double.NaN);
        return values;
    }

    /// <summary>The full segments' values of a column, then the current one's.</summary>
    private T[] Join<T>(T[] current, Func<Segment, T[]> column)
    {
        if (_segments.Count == 0 && current.Length == Count)
        {
            return current;
        }

        var all = new T[Count];
        var at = 0;
        foreach (var segment in _segments)
        {
            column(segment).CopyTo(all, at);
            at += SegmentRows;
        }

        Array.Copy(current, 0, all, at, Count - at);
        return all;
    }

    private void Grow()
    {
        if (_scores.Length >= SegmentRows)
        {
            _segments.Add(new Segment([.. _numeric], [.. _categorical], _scores, _bands, _converted, _revenue, _scoredAt, _versions));
            for (var f = 0; f < _features.Length; f++)
            {
                if (_numeric[f] is not null)
                {
                    _numeric[f] = NewNumeric(SegmentRows, 0);
                }
                else
                {
                    _categorical[f] = new string?[SegmentRows];
                }
            }

            _scores = new double[SegmentRows];
            _bands = new string[SegmentRows];
            _converted = new bool?[SegmentRows];
            _revenue = new double?[SegmentRows];
            _scoredAt = new long[SegmentRows];
            _versions = new int[SegmentRows];
            return;
        }

        var capacity = Math.Min(_scores.Length * 2, SegmentRows);
        for (var f = 0; f < _features.Length; f++)
        {
            if (_numeric[f] is { } values)
            {
                var grown = NewNumeric(capacity, values.Length);
                values.CopyTo(grown, 0);
                _numeric[f] = grown;
            }
            else
            {
                Array.Resize(ref _categorical[f], capacity);
            }
        }

        Array.Resize(ref _scores, capacity);
        Array.Resize(ref _bands, capacity);
        Array.Resize(ref _converted, capacity);
        Array.Resize(ref _revenue, capacity);
        Array.Resize(ref _scoredAt, capacity);
        Array.Resize(ref _versions, capacity);
    }

    /// <summary>
    /// The features in the log's compact form (<see cref="CompactFlatJson"/>), as <see cref="ReadFeatures"/> would read
    /// them; false, with the row's values reset, when the JSON is in another form (or a number is out of range).
    /// </summary>
    private bool TryReadCompact(int row, ReadOnlySpan<byte> json)
    {
        if (json.Length < 2 || json[0] != '{')
        {
            return false;
        }

        if (json.Length == 2 && json[1] == '}')
        {
            return true;
        }

        var position = 1;
        var guess = 0;
        bool end;
        do
        {
            if (!CompactFlatJson.TryNext(json, ref position, out var name, out var kind, out var value, out end))
            {
                ResetRow(row);
                return false;
            }

            var f = Find(name, guess);
            if (f < 0)
            {
                continue;
            }

            guess = f + 1;
            if (_numeric[f] is { } numbers)
            {
                double number = double.NaN;
                if (kind == FlatValueKind.Number && !TryParseNumber(value, out number))
                {
                    ResetRow(row);
                    return false;
                }

                numbers[row] = kind switch
                {
                    FlatValueKind.Number => number,
                    FlatValueKind.True => 1,
                    FlatValueKind.False => 0,
                    _ => double.NaN,
                };
            }
            else
            {
                _categorical[f]![row] = kind switch
                {
                    FlatValueKind.String or FlatValueKind.Number => _categories[f].Get(value, this),
                    FlatValueKind.True => "true",
                    FlatValueKind.False => "false",
                    _ => null,
                };
            }
        }
        while (!end);

        return true;
    }

    // As Utf8JsonReader.GetDouble parses (it refuses what does not fit a double, so the full reader reports it).
    private static bool TryParseNumber(ReadOnlySpan<byte> text, out double number) =>
        Utf8Parser.TryParse(text, out number, out var consumed, text.IndexOfAny((byte)'e', (byte)'E') >= 0 ? 'e' : default)
        && consumed == text.Length && double.IsFinite(number);

    private void ResetRow(int row)
    {
        for (var f = 0; f < _features.Length; f++)
        {
            if (_numeric[f] is { } numbers)
            {
                numbers[row] = double.NaN;
            }
            else
            {
                _categorical[f]![row] = null;
            }
        }
    }

    private int Find(ReadOnlySpan<byte> name, int guess)
    {
        if (guess < _names.Length && name.SequenceEqual(_names[guess]))
        {
            return guess;
        }

        for (var f = 0; f < _names.Length; f++)
        {
            if (name.SequenceEqual(_names[f]))
            {
                return f;
            }
        }

        return -1;
    }

    // Keys the schema does not name are skipped; a feature repeated in one object keeps its last value.
    private void ReadFeatures(int row, ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("the logged features are not a JSON object");
        }

        var guess = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var f = Find(ref reader, guess);
            reader.Read();
            if (f < 0)
            {
                reader.Skip();
                continue;
            }

            guess = f + 1;
            if (_numeric[f] is { } numbers)
            {
                numbers[row] = reader.TokenType switch
                {
                    JsonTokenType.Number => reader.GetDouble(),
                    JsonTokenType.True => 1,
                    JsonTokenType.False => 0,
                    _ => double.NaN,
                };
            }
            else
            {
                _categorical[f]![row] = reader.TokenType switch
                {
                    JsonTokenType.String when !reader.ValueIsEscaped && !reader.HasValueSequence => _categories[f].Get(reader.ValueSpan, this),
                    JsonTokenType.String => SharedString(ref reader),
                    JsonTokenType.Number => Shared(reader.ValueSpan),
                    JsonTokenType.True => "true",
                    JsonTokenType.False => "false",
                    _ => null,
                };
            }

            reader.Skip();
        }
    }

    // Logged objects list the features in schema order, so the one after the last match is tried first.
    private int Find(ref Utf8JsonReader reader, int guess)
    {
        if (guess < _names.Length && reader.ValueTextEquals(_names[guess]))
        {
            return guess;
        }

        for (var f = 0; f < _names.Length; f++)
        {
            if (reader.ValueTextEquals(_names[f]))
            {
                return f;
            }
        }

        return -1;
    }

    private string SharedString(ref Utf8JsonReader reader)
    {
        var most = reader.HasValueSequence ? checked((int)reader.ValueSequence.Length) : reader.ValueSpan.Length;
        if (most > _chars.Length)
        {
            _chars = new char[Math.Max(most, _chars.Length * 2)];
        }

        var length = reader.CopyString(_chars);
        return Shared(_chars.AsSpan(0, length));
    }

    internal string Shared(ReadOnlySpan<byte> utf8)
    {
        var most = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (most > _chars.Length)
        {
            _chars = new char[Math.Max(most, _chars.Length * 2)];
        }

        var length = Encoding.UTF8.GetChars(utf8, _chars);
        return Shared(_chars.AsSpan(0, length));
    }

    private string Shared(ReadOnlySpan<char> chars)
    {
        if (_stringsBySpan.TryGetValue(chars, out var shared))
        {
            return shared;
        }

        var text = chars.ToString();
        _strings[text] = text;
        return text;
    }

    /// <summary>One full segment of every column.</summary>
    private sealed record Segment(
        double[]?[] Numeric, string?[]?[] Categorical, double[] Scores, string[] Bands, bool?[] Converted, double?[] Revenue, long[] ScoredAt, int[] Versions);
}
