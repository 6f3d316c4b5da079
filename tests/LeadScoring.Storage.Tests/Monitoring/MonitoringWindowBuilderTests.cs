using System.Globalization;
using System.Text;
using LeadScoring.Storage.Monitoring;

namespace LeadScoring.Storage.Tests.Monitoring;

/// <summary>The window reader's in-memory parts, at sizes the database contract does not reach.</summary>
public sealed class MonitoringWindowBuilderTests
{
    [Fact]
    public void Columns_of_many_segments_keep_every_row_in_order()
    {
        // 150,001 rows: two full segments of 65,536 and part of a third, the first grown by doubling.
        const int Rows = 150_001;
        var builder = new MonitoringWindowBuilder([new("visits", MonitoringFeatureKind.Numeric), new("source", MonitoringFeatureKind.Categorical)]);
        for (var i = 0; i < Rows; i++)
        {
            var json = i % 7 == 0 ? "{}" : string.Create(CultureInfo.InvariantCulture, $$"""{"visits":{{i}},"source":"s{{i % 40}}"}""");
            builder.Add(i * 10L, 1 + (i % 3), i / (double)Rows, Encoding.UTF8.GetBytes(i % 2 == 0 ? "hot" : "cold"), Encoding.UTF8.GetBytes(json), i % 5 == 0 ? null : i % 5 == 1, i % 5 == 1 ? i : null);
        }

        var w = builder.Build();

        Assert.Equal(Rows, w.Count);
        var all = Enumerable.Range(0, Rows).ToArray();
        Assert.Equal(all.Select(i => i * 10L), w.ScoredAtTicks);
        Assert.Equal(all.Select(i => 1 + (i % 3)), w.ModelVersions);
        Assert.Equal(all.Select(i => i / (double)Rows), w.Scores);
        Assert.Equal(all.Select(i => i % 2 == 0 ? "hot" : "cold"), w.Bands);
        Assert.Equal(all.Select(i => i % 5 == 0 ? null : (bool?)(i % 5 == 1)), w.Converted);
        Assert.Equal(all.Select(i => i % 5 == 1 ? (double?)i : null), w.Revenue);
        Assert.Equal(all.Select(i => i % 7 == 0 ? double.NaN : i), w.Numeric["visits"]);
        Assert.Equal(all.Select(i => i % 7 == 0 ? null : "s" + (i % 40)), w.Categorical["source"]);
    }

    [Fact]
    public void The_key_set_agrees_with_a_set_of_strings_on_alike_keys()
    {
        var random = new Random(5);
        string[] stems = ["", "a", "A", "lead-é", "lead-e\u0301", "😀", new string('x', 500)];
        var keys = Enumerable.Range(0, 60_000).Select(_ => stems[random.Next(stems.Length)] + random.Next(20_000).ToString(CultureInfo.InvariantCulture)).ToList();
        keys.Add("");
        keys.Add("");
        var set = new Utf8KeySet();
        var strings = new HashSet<string>(StringComparer.Ordinal);

        foreach (var key in keys)
        {
            Assert.Equal(strings.Add(key), set.Add(Encoding.UTF8.GetBytes(key)));
        }

        Assert.Equal(strings.Count, set.Count);
    }

    [Fact]
    public async Task The_pipeline_keeps_first_rows_in_order_and_reports_the_parsing_threads_failure()
    {
        var features = new MonitoringFeature[] { new("visits", MonitoringFeatureKind.Numeric) };
        var builder = new MonitoringWindowBuilder(features);
        using (var pipeline = new MonitoringWindowPipeline(builder))
        {
            for (var i = 0; i < 20_000; i++)
            {
                // Leads 0..9,999, each twice: only the first row of each is kept.
                var lead = Encoding.UTF8.GetBytes("lead-" + (i % 10_000).ToString(CultureInfo.InvariantCulture));
                if (pipeline.IsFirst(lead))
                {
                    pipeline.Add(i, 1, 0.5, "warm"u8, Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"visits":{{i}}}""")), null, null);
                }
            }

            await pipeline.CompleteAsync();
        }

        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => (double)i), builder.Build().Numeric["visits"]);

        // Features that are not an object fail on the parsing thread: the reading thread gets that exception,
        // whether it is still adding rows or completing.
        foreach (var bad in new[] { 100, 19_999 })
        {
            using var pipeline = new MonitoringWindowPipeline(new MonitoringWindowBuilder(features));
            await Assert.ThrowsAnyAsync<System.Text.Json.JsonException>(async () =>
            {
                for (var i = 0; i < 20_000; i++)
                {
                    pipeline.Add(i, 1, 0.5, "warm"u8, i == bad ? "[1]"u8 : """{"visits":1}"""u8, null, null);
                }

                await pipeline.CompleteAsync();
            });
        }
    }

    [Fact]
    public void Compact_and_other_forms_of_the_same_features_read_alike()
    {
        // Each pair: the log's compact form (read by the fast walk) and a spaced or escaped form of the same values
        // (read by Utf8JsonReader); then forms the fast walk must hand over whole.
        string[] compact =
        [
            """{"n":1e3,"c":"a","b":true}""",
            """{"n":-0.25,"c":42,"b":false}""",
            """{"n":1E-2,"c":true,"b":null}""",
            """{"x":"skip","n":7,"n":8,"c":"é😀","y":[1]}""",
            """{"c":null,"n":"seven","b":3}""",
            """{}""",
        ];
        string[] other =
        [
            """{ "n": 1000, "c": "\u0061", "b": true }""",
            """{"\u006e":-0.25, "c":42,"b":false}""",
            """{"n" : 0.01,"c":true,"b":null}""",
            """{"x":"skip","n":7,"n":8,"c":"\u00e9😀","y":[1]}""",
            """{ "c":null,"n":"seven","b":3}""",
            """{ }""",
        ];
        var first = Read(compact);
        var second = Read(other);

        Assert.Equal([1000, -0.25, 0.01, 8, double.NaN, double.NaN], first.Numeric["n"]);
        Assert.Equal(new[] { "a", "42", "true", "é😀", null, null }.AsEnumerable(), first.Categorical["c"].AsEnumerable());
        Assert.Equal([1, 0, double.NaN, double.NaN, 3, double.NaN], first.Numeric["b"]);
        Assert.Equal(first.Numeric["n"], second.Numeric["n"]);
        Assert.Equal(first.Categorical["c"].AsEnumerable(), second.Categorical["c"].AsEnumerable());
        Assert.Equal(first.Numeric["b"], second.Numeric["b"]);
        Assert.Equal([2.0], Read(["""{"n":2,"c":"a"} """]).Numeric["n"]);
        Assert.Throws<System.Text.Json.JsonException>(() => Read(["""[{"n":1}]"""]));
        Assert.Equal(Read(["""{ "n": 1e400 }"""]).Numeric["n"], Read(["""{"n":1e400}"""]).Numeric["n"]);
    }

    private static MonitoringWindowColumns Read(string[] rows)
    {
        var builder = new MonitoringWindowBuilder([new("n", MonitoringFeatureKind.Numeric), new("c", MonitoringFeatureKind.Categorical), new("b", MonitoringFeatureKind.Numeric)]);
        foreach (var json in rows)
        {
            builder.Add(0, 1, 0.5, "warm"u8, Encoding.UTF8.GetBytes(json), null, null);
        }

        return builder.Build();
    }
}
