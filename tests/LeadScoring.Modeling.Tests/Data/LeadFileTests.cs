using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;

namespace LeadScoring.Modeling.Tests.Data;

public sealed class LeadFileTests : IDisposable
{
    private static readonly LeadSchema Schema = SchemaJson.Parse("""
        {"name": "t", "label": "y", "positive": ["yes"], "features": [
          {"name": "visits", "type": "numeric"},
          {"name": "source", "type": "categorical"},
          {"name": "opt out", "type": "boolean"}
        ]}
        """);

    private readonly string _dir = Directory.CreateTempSubdirectory("leadfile-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Theory]
    [InlineData(",")]
    [InlineData(";")]
    [InlineData("\t")]
    public void The_delimiter_is_detected_from_the_header(string delimiter)
    {
        var path = Write($"visits{delimiter}source{delimiter}opt out{delimiter}y\r\n3{delimiter}Google{delimiter}no{delimiter}yes\r\n{delimiter}{delimiter}{delimiter}no\r\n");

        var table = LeadFile.Read(path, Schema, LabelUse.Required);

        Assert.Equal(2, table.Count);
        Assert.Equal(3, ((NumericColumn)table.Columns[0]).Values[0]);
        Assert.Equal([true, false], table.Labels!);
    }

    [Fact]
    public void Quoted_fields_may_hold_delimiters_quotes_and_line_breaks()
    {
        var path = Write("visits,source,opt out,y\n1,\"Ads, \"\"paid\"\"\nsearch\",no,yes\n2,plain,yes,no\n");

        var table = LeadFile.Read(path, Schema, LabelUse.Required);

        Assert.Equal("Ads, \"paid\"\nsearch", ((CategoricalColumn)table.Columns[1]).Values[0]);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void A_row_with_too_few_fields_names_the_row()
    {
        var path = Write("visits,source,opt out,y\n1,a,no,yes\n2,b\n");

        var error = Assert.Throws<LeadDataException>(() => LeadFile.Read(path, Schema, LabelUse.Required));

        Assert.Equal("row 2: has 2 fields but the header has 4 (check the delimiter and quoting)", error.Message);
    }

    [Fact]
    public void A_bad_value_deep_in_a_large_file_names_its_row()
    {
        var rows = Enumerable.Range(1, 50_000).Select(i => i == 40_001 ? "many,x,no,no" : $"{i % 9},x,no,{(i % 2 == 0 ? "yes" : "no")}");
        var path = Write("visits,source,opt out,y\n" + string.Join("\n", rows) + "\n");

        var error = Assert.Throws<LeadDataException>(() => LeadFile.Read(path, Schema, LabelUse.Required));

        Assert.Equal("row 40001, column 'visits': value 'many' is not a finite number", error.Message);
    }

    [Fact]
    public void A_missing_file_says_so()
    {
        var error = Assert.Throws<LeadDataException>(() => LeadFile.Read(Path.Combine(_dir, "nope.csv"), Schema, LabelUse.Required));

        Assert.EndsWith("nope.csv: file not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_file_says_so()
    {
        var error = Assert.Throws<LeadDataException>(() => LeadFile.Read(Write(""), Schema, LabelUse.Required));

        Assert.Contains("the file is empty", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parquet_and_csv_copies_of_the_same_leads_read_the_same()
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(3000, Seed: 8)).Table;
        var csv = Path.Combine(_dir, "leads.csv");
        var parquet = Path.Combine(_dir, "leads.parquet");
        LeadFile.Write(csv, leads);
        LeadFile.Write(parquet, leads);

        var fromCsv = LeadFile.Read(csv, leads.Schema, LabelUse.Required);
        var fromParquet = LeadFile.Read(parquet, leads.Schema, LabelUse.Required);

        Assert.Equal(leads.Count, fromParquet.Count);
        Assert.Equal(fromCsv.Ids!.AsEnumerable(), fromParquet.Ids!.AsEnumerable());
        Assert.Equal(fromCsv.Labels!, fromParquet.Labels!);
        Assert.Equal(fromCsv.Timestamps!, fromParquet.Timestamps!);
        Assert.Equal(fromCsv.Revenue!, fromParquet.Revenue!);
        for (var c = 0; c < leads.Columns.Count; c++)
        {
            switch (leads.Columns[c])
            {
                case NumericColumn original:
                    Assert.Equal(original.Values, ((NumericColumn)fromCsv.Columns[c]).Values);
                    Assert.Equal(original.Values, ((NumericColumn)fromParquet.Columns[c]).Values);
                    break;
                case CategoricalColumn original:
                    Assert.Equal(original.Values.AsEnumerable(), ((CategoricalColumn)fromParquet.Columns[c]).Values.AsEnumerable());
                    break;
            }
        }
    }

    [Fact]
    public void ReadFields_streams_the_chosen_columns_as_text_and_null_for_a_column_the_file_lacks()
    {
        var path = Write("id;when;y;extra\n\"a;1\";2026-03-01T09:30:00Z;yes;x\nb;;no;y\n");
        IReadOnlyList<string>? header = null;

        var rows = LeadFile.ReadFields(path, ';', h => { header = h; return [h.ToList().IndexOf("y"), h.ToList().IndexOf("id"), -1, h.ToList().IndexOf("when")]; }).ToList();

        Assert.Equal(["id", "when", "y", "extra"], header);
        Assert.Equal([["yes", "a;1", null, "2026-03-01T09:30:00Z"], ["no", "b", null, ""]], rows);
        Assert.Throws<LeadDataException>(() => LeadFile.ReadFields(Write("id,y\n1,yes,extra\n"), null, _ => [0, 1]).ToList());
    }

    [Fact]
    public void ReadFields_renders_parquet_values_as_the_lead_readers_do_and_timestamps_with_their_offset()
    {
        var leads = LeadSimulator.Generate(new SimulationOptions(50, Seed: 8)).Table;
        var parquet = Path.Combine(_dir, "leads.parquet");
        var csv = Path.Combine(_dir, "leads.csv");
        LeadFile.Write(parquet, leads);
        LeadFile.Write(csv, leads);
        int[] Pick(IReadOnlyList<string> h) => [.. new[] { "lead_id", "converted", "revenue", "created_at" }.Select(c => h.ToList().IndexOf(c))];

        var fromParquet = LeadFile.ReadFields(parquet, null, Pick).ToList();
        var fromCsv = LeadFile.ReadFields(csv, null, Pick).ToList();

        Assert.Equal(50, fromParquet.Count);
        Assert.Equal(fromCsv.Select(r => r[0]), fromParquet.Select(r => r[0]));
        Assert.Equal(fromCsv.Select(r => r[1]), fromParquet.Select(r => r[1]));
        Assert.Equal(leads.Timestamps!, fromParquet.Select(r => DateTimeOffset.Parse(r[3]!, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(fromParquet, r => Assert.EndsWith("Z", r[3], StringComparison.Ordinal));
    }

    [Fact]
    public void A_file_that_is_not_parquet_is_rejected_clearly()
    {
        var path = Path.Combine(_dir, "fake.parquet");
        File.WriteAllText(path, "visits,source\n1,a\n");

        var error = Assert.ThrowsAny<Exception>(() => LeadFile.Read(path, Schema, LabelUse.Required));

        Assert.IsType<LeadDataException>(error);
        Assert.Contains("fake.parquet", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_data_hash_is_the_sha256_of_the_bytes()
    {
        var path = Write("abc");

        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", LeadFile.Sha256(path));
    }

    private string Write(string content)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".csv");
        File.WriteAllText(path, content);
        return path;
    }
}
