using LeadScoring.Application.Retraining;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Data;
using LeadScoring.Storage.Registry;
using LeadScoring.Storage.Retraining;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Retraining;

/// <summary>
/// Runs without a Production model: a first model from a data file and its schema goes to Staging on its own
/// held-out figures and then straight to Production; without a schema, a missing file or a run cancelled before the
/// worker starts, the run ends with what happened and nothing is registered.
/// </summary>
[Collection(RetrainingTrainingCollection.Name)]
public sealed class RetrainingFirstModelTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly ApplicationHost _host = RetrainingWorld.NewHost();

    private RetrainingStore Store => _host.Services.GetRequiredService<RetrainingStore>();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_first_model_from_a_file_and_its_schema_is_staged_without_a_gate_and_promoted_directly()
    {
        var (data, schema) = WriteFile(rows: 1500);
        var useCases = _host.Services.GetRequiredService<RetrainingUseCases>();
        var requested = await useCases.RequestAsync(new RetrainingRequest(RetrainingWorld.Model, "alice", DataFile: data, SchemaFile: schema), RetrainingWorld.SmallSettings());
        var claimed = (await Store.ClaimAsync(requested.Id, RetrainingWorld.Worker, RetrainingWorld.Lease))!;

        var staged = await _host.Services.GetRequiredService<RetrainingRunner>().RunAsync(claimed, RetrainingWorld.Worker, RetrainingWorld.Lease, RetrainingWorld.Snapshots(_host));

        Assert.True(staged.Status == RetrainingStatus.Staged, $"{staged.Status}: {staged.StatusDetail}");
        Assert.Contains("No Production model to compare with", staged.StatusDetail, StringComparison.Ordinal);
        var document = RetrainingDataDocument.Parse(staged.DataJson!);
        Assert.Equal(("file", "leads.csv", LeadFile.Sha256(data), 1500L), (document.Source, document.File, document.FileSha256, document.Rows));
        Assert.Equal(ModelStage.Staging, (await _host.Registry.GetVersionAsync(RetrainingWorld.Model, 1))!.Stage);

        var promoted = await _host.Services.GetRequiredService<RetrainingPromotion>().AdvanceAsync(staged, new RetrainingPromotionSettings());

        Assert.Equal(RetrainingStatus.Promoted, promoted.Status);
        Assert.Equal(1, (await _host.Registry.GetProductionAsync(RetrainingWorld.Model))!.Version);
    }

    [Fact]
    public async Task Without_production_or_a_schema_the_run_fails_saying_what_it_needs()
    {
        var (data, _) = WriteFile(rows: 600);

        var ended = await RetrainingWorld.RequestAndRunAsync(_host, RetrainingWorld.SmallSettings(), dataFile: data);

        Assert.Equal(RetrainingStatus.Failed, ended.Status);
        Assert.Equal("InvalidOperationException: model 'leads' has no Production version: give a data file and its schema for a first model", ended.StatusDetail);
        Assert.Empty(await _host.Registry.ListVersionsAsync(RetrainingWorld.Model));
    }

    [Fact]
    public async Task A_missing_data_file_fails_the_run()
    {
        var (_, schema) = WriteFile(rows: 10);
        var missing = Path.Combine(_host.DataDirectory, "absent.csv");
        var useCases = _host.Services.GetRequiredService<RetrainingUseCases>();
        var requested = await useCases.RequestAsync(new RetrainingRequest(RetrainingWorld.Model, "alice", DataFile: missing, SchemaFile: schema), RetrainingWorld.SmallSettings());
        var claimed = (await Store.ClaimAsync(requested.Id, RetrainingWorld.Worker, RetrainingWorld.Lease))!;

        var ended = await _host.Services.GetRequiredService<RetrainingRunner>().RunAsync(claimed, RetrainingWorld.Worker, RetrainingWorld.Lease, RetrainingWorld.Snapshots(_host));

        Assert.Equal(RetrainingStatus.Failed, ended.Status);
        Assert.StartsWith("LeadDataException: ", ended.StatusDetail, StringComparison.Ordinal);
        Assert.Contains("absent.csv", ended.StatusDetail, StringComparison.Ordinal);
        Assert.Null(ended.ClaimedBy);
    }

    [Fact]
    public async Task A_run_cancelled_after_its_claim_is_left_cancelled_by_the_worker()
    {
        var (data, schema) = WriteFile(rows: 600);
        var useCases = _host.Services.GetRequiredService<RetrainingUseCases>();
        var requested = await useCases.RequestAsync(new RetrainingRequest(RetrainingWorld.Model, "alice", DataFile: data, SchemaFile: schema), RetrainingWorld.SmallSettings());
        var claimed = (await Store.ClaimAsync(requested.Id, RetrainingWorld.Worker, RetrainingWorld.Lease))!;
        await useCases.CancelAsync(requested.Id, "bob", "wrong file");

        var ended = await _host.Services.GetRequiredService<RetrainingRunner>().RunAsync(claimed, RetrainingWorld.Worker, RetrainingWorld.Lease, RetrainingWorld.Snapshots(_host));

        Assert.Equal((RetrainingStatus.Cancelled, "wrong file"), (ended.Status, ended.StatusDetail));
        Assert.Equal(["queued", "cancelled"], (await Store.GetEventsAsync(ended.Id)).Select(e => e.Step));
        Assert.Empty(await _host.Registry.ListVersionsAsync(RetrainingWorld.Model));
    }

    private (string Data, string Schema) WriteFile(int rows)
    {
        var table = LeadSimulator.Generate(new SimulationOptions(rows, Seed: 17)).Table;
        var data = Path.Combine(_host.DataDirectory, "leads.csv");
        var schema = Path.Combine(_host.DataDirectory, "schema.json");
        LeadFile.Write(data, table);
        File.WriteAllText(schema, SchemaJson.ToJson(table.Schema));
        return (data, schema);
    }
}
