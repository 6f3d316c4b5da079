namespace LeadScoring.Storage.Monitoring;

/// <summary>The kind of a <see cref="CompactFlatJson"/> value.</summary>
internal enum FlatValueKind
{
    String,
    Number,
    True,
    False,
    Null,
}

/// <summary>
/// Walks the one form the prediction log writes features in (<c>LeadFeaturesJson</c>: a flat object, no whitespace,
/// property names and strings without escapes) faster than <see cref="System.Text.Json.Utf8JsonReader"/>, which
/// validates what the log validated already. Anything else (whitespace, an escape, a nested value, a malformed
/// token) makes <see cref="TryNext"/> give up, and the caller reads the object with the full reader instead.
/// </summary>
internal static class CompactFlatJson
{
    /// <summary>
    /// Reads the property at <paramref name="position"/> (1 for the first, after the brace). True with the property
    /// when one was read, <paramref name="end"/> then telling whether the object ended after it; false when the object
    /// is not in the compact flat form from here.
    /// </summary>
    public static bool TryNext(ReadOnlySpan<byte> json, scoped ref int position, out ReadOnlySpan<byte> name, out FlatValueKind kind, out ReadOnlySpan<byte> value, out bool end)
    {
        name = value = default;
        kind = default;
        end = false;
        var p = position;
        if (!TryString(json, ref p, out name) || p >= json.Length || json[p] != ':')
        {
            return false;
        }

        p++;
        if (p >= json.Length)
        {
            return false;
        }

        if (json[p] == '"')
        {
            if (!TryString(json, ref p, out value))
            {
                return false;
            }

            kind = FlatValueKind.String;
        }
        else
        {
            var length = json[p..].IndexOfAny((byte)',', (byte)'}');
            if (length <= 0)
            {
                return false;
            }

            value = json.Slice(p, length);
            p += length;
            if (value.SequenceEqual("true"u8))
            {
                kind = FlatValueKind.True;
            }
            else if (value.SequenceEqual("false"u8))
            {
                kind = FlatValueKind.False;
            }
            else if (value.SequenceEqual("null"u8))
            {
                kind = FlatValueKind.Null;
            }
            else if (value[0] == '-' || (uint)(value[0] - '0') <= 9)
            {
                kind = FlatValueKind.Number;
            }
            else
            {
                return false;
            }
        }

        if (p >= json.Length)
        {
            return false;
        }

        if (json[p] == '}')
        {
            end = p + 1 == json.Length;
            position = p + 1;
            return end;
        }

        if (json[p] != ',')
        {
            return false;
        }

        position = p + 1;
        return true;
    }

    // A string without escapes at json[p] == '"'; p ends after its closing quote.
    private static bool TryString(ReadOnlySpan<byte> json, scoped ref int p, out ReadOnlySpan<byte> text)
    {
        text = default;
        if (p >= json.Length || json[p] != '"')
        {
            return false;
        }

        var length = json[(p + 1)..].IndexOfAny((byte)'"', (byte)'\\');
        if (length < 0 || json[p + 1 + length] != '"')
        {
            return false;
        }

        text = json.Slice(p + 1, length);
        p += length + 2;
        return true;
    }
}
