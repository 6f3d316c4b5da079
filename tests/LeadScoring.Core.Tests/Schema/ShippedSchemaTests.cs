using LeadScoring.Core.Schema;

namespace LeadScoring.Core.Tests.Schema;

public sealed class ShippedSchemaTests
{
    public static TheoryData<string> Files => [.. Directory.GetFiles(RepositoryPaths.File("schemas"), "*.json").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Files))]
    public void Every_shipped_schema_is_valid_and_reads_back_the_same(string file)
    {
        var schema = SchemaJson.Parse(File.ReadAllText(RepositoryPaths.File(Path.Combine("schemas", file))));

        Assert.NotEmpty(schema.Features);
        Assert.Equal(SchemaJson.ToJson(schema), SchemaJson.ToJson(SchemaJson.Parse(SchemaJson.ToJson(schema))));
    }

    [Fact]
    public void The_x_education_schema_excludes_every_column_sales_fills_in_after_contact()
    {
        var schema = SchemaJson.Parse(File.ReadAllText(RepositoryPaths.File("schemas/x-education.json")));
        var excluded = schema.Exclude.Select(e => e.Name).ToHashSet();

        foreach (var leak in new[] { "Tags", "Lead Quality", "Lead Profile", "Asymmetrique Activity Index", "Asymmetrique Profile Index", "Asymmetrique Activity Score", "Asymmetrique Profile Score", "Last Activity", "Last Notable Activity" })
        {
            Assert.Contains(leak, excluded);
            Assert.Equal(-1, schema.IndexOf(leak));
        }
    }
}
