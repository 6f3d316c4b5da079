using System.Text;
using System.Text.Json;

namespace LeadScoring.Application.Predictions;

/// <summary>
/// The feature columns of an export: the union of the feature names in the logged JSON, in first-seen order, each
/// typed by the values it holds (numbers → <see cref="ExportKind.Number"/>, booleans → <see cref="ExportKind.Boolean"/>,
/// strings → <see cref="ExportKind.Text"/>; a feature that is always null, or holds different kinds across versions,
/// is text). Also parses one row's features into the columns.
/// </summary>
internal sealed class FeatureColumnScan
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<Seen> _seen = [];

    [Flags]
    private enum Seen
    {
        None = 0,
        Number = 1,
        Boolean = 2,
        Text = 4,
    }

    /// <summary>The feature names, in first-seen order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The export kind of feature <paramref name="index"/>.</summary>
    public ExportKind KindOf(int index) => _seen[index] switch
    {
        Seen.Number => ExportKind.Number,
        Seen.Boolean => ExportKind.Boolean,
        _ => ExportKind.Text,
    };

    /// <summary>Adds the names and value kinds of one logged features object.</summary>
    public void Add(string featuresJson)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(featuresJson));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!_index.TryGetValue(name, out var index))
            {
                index = _names.Count;
                _index.Add(name, index);
                _names.Add(name);
                _seen.Add(Seen.None);
            }

            reader.Read();
            _seen[index] |= reader.TokenType switch
            {
                JsonTokenType.Number => Seen.Number,
                JsonTokenType.True or JsonTokenType.False => Seen.Boolean,
                JsonTokenType.String => Seen.Text,
                _ => Seen.None,
            };
        }
    }

    /// <summary>
    /// Writes the features of <paramref name="featuresJson"/> into row <paramref name="row"/> of the feature columns
    /// (<paramref name="columns"/>[i] holds feature i, as <see cref="ExportColumns.NewValues"/> made it for <see cref="KindOf"/>).
    /// A name or kind the scan did not see (a row logged after it) is a <see cref="PredictionExportException"/>.
    /// </summary>
    public void Fill(string featuresJson, Array[] columns, int row)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(featuresJson));
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (!_index.TryGetValue(name, out var index))
            {
                throw Changed($"feature '{name}' appeared");
            }

            switch (columns[index], reader.TokenType)
            {
                case (_, JsonTokenType.Null):
                    break;
                case (double?[] numbers, JsonTokenType.Number):
                    numbers[row] = reader.GetDouble();
                    break;
                case (bool?[] flags, JsonTokenType.True or JsonTokenType.False):
                    flags[row] = reader.TokenType == JsonTokenType.True;
                    break;
                case (string?[] text, JsonTokenType.String):
                    text[row] = reader.GetString();
                    break;
                case (string?[] text, JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False):
                    // A feature typed differently by different versions: its values as their JSON text.
                    text[row] = Encoding.UTF8.GetString(reader.ValueSpan);
                    break;
                default:
                    throw Changed($"feature '{name}' holds {reader.TokenType} values");
            }
        }
    }

    private static PredictionExportException Changed(string what) =>
        new($"the log changed while it was exported ({what} after the columns were chosen); run the export again");
}

/// <summary>An export could not be written (the output cannot be created, or the log changed under it); nothing was left at the output path.</summary>
public sealed class PredictionExportException : Exception
{
    public PredictionExportException(string message)
        : base(message)
    {
    }

    public PredictionExportException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public PredictionExportException()
    {
    }
}
