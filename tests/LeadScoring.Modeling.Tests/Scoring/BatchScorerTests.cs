using LeadScoring.Core.Data;
using LeadScoring.Core.Scoring;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Scoring;
using LeadScoring.Modeling.Tests.Support;
using Parquet;

namespace LeadScoring.Modeling.Tests.Scoring;

[Collection(TrainedModelsCollection.Name)]
public sealed class BatchScorerTests(TrainedModels models) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("batch-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    [Fact]
    public async Task A_file_is_scored_row_for_row_with_ids_scores_and_bands()
    {
        var package = ModelPackage.Load(models.SimulatedPackage);
        var leads = LeadSimulator.Generate(new SimulationOptions(40_000, Seed: 5)).Table;
        var input = Path.Combine(_dir, "leads.csv");
        var output = Path.Combine(_dir, "scored.csv");
        LeadFile.Write(input, leads);

        var result = await BatchScorer.ScoreFileAsync(package, input, output, ScoreBuckets.Default);

        var lines = File.ReadAllLines(output);
        var inMemory = package.Scorer.Score(leads);
        Assert.Equal(40_000, result.Rows);
        Assert.Equal("lead_id,score,bucket", lines[0]);
        Assert.Equal(40_001, lines.Length);
        var last = lines[^1].Split(',');
        Assert.Equal(leads.Ids![^1], last[0]);
        Assert.Equal(inMemory[^1], double.Parse(last[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ScoreBuckets.Default.Of(inMemory[^1]), last[2]);
        Assert.Equal(40_000, result.BucketCounts.Values.Sum());
    }

    [Fact]
    public async Task A_bad_row_stops_the_run_names_the_row_and_leaves_no_output()
    {
        var package = ModelPackage.Load(models.SimulatedPackage);
        var input = Path.Combine(_dir, "leads.csv");
        var output = Path.Combine(_dir, "scored.csv");
        LeadFile.Write(input, LeadSimulator.Generate(new SimulationOptions(50_000, Seed: 6)).Table);
        var lines = File.ReadAllLines(input);
        var visits = Array.IndexOf(lines[0].Split(','), "total_visits");
        var fields = lines[45_000].Split(',');
        fields[visits] = "n/a";
        lines[45_000] = string.Join(',', fields);
        File.WriteAllLines(input, lines);

        var error = await Assert.ThrowsAsync<LeadDataException>(() => BatchScorer.ScoreFileAsync(package, input, output, ScoreBuckets.Default));

        Assert.Equal("row 45000, column 'total_visits': value 'n/a' is not a finite number", error.Message);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("scored.csv")]
    [InlineData("scored.parquet")]
    public async Task A_header_only_file_scores_to_an_output_with_the_columns_and_no_rows(string name)
    {
        var package = ModelPackage.Load(models.SimulatedPackage);
        var input = Path.Combine(_dir, "leads.csv");
        LeadFile.Write(input, LeadSimulator.Generate(new SimulationOptions(5, Seed: 1)).Table);
        File.WriteAllLines(input, File.ReadAllLines(input)[..1]);
        var output = Path.Combine(_dir, name);

        var result = await BatchScorer.ScoreFileAsync(package, input, output, ScoreBuckets.Default);

        Assert.Equal(0, result.Rows);
        if (LeadFile.IsParquet(output))
        {
            await using var reader = await ParquetReader.CreateAsync(output);
            Assert.Equal(["lead_id", "score", "bucket"], reader.Schema.GetDataFields().Select(f => f.Name));
            Assert.Equal(0, reader.Metadata!.NumRows);
        }
        else
        {
            Assert.Equal(["lead_id,score,bucket"], File.ReadAllLines(output));
        }
    }
}
