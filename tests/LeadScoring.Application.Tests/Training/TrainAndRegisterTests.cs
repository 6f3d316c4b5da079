using LeadScoring.Application.Tests.Support;
using LeadScoring.Application.Training;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using LeadScoring.Storage.Registry;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Training;

public sealed class TrainAndRegisterTests : IAsyncLifetime, IAsyncDisposable
{
    private static readonly TrainingOptions Quick = new(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 30));

    private readonly ApplicationHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit v2 disposes a test class through IAsyncLifetime, never IAsyncDisposable (the host's scratch folder was left
    // behind); IAsyncDisposable is for the analyzers, which see a disposable field.
    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Simulated_leads_are_trained_registered_promoted_and_named_with_one_actor_and_reason()
    {
        var useCase = _host.Services.GetRequiredService<TrainAndRegister>();

        var result = await useCase.RunAsync(new TrainAndRegisterRequest(
            "leads", TrainingData.Simulated(new SimulationOptions(2000, Seed: 4)), Quick, "system:test", "first model", Promote: true, Alias: "champion"));

        Assert.Equal(1, result.Version.Version);
        Assert.Equal(ModelStage.Production, result.Version.Stage);
        Assert.Equal(["champion"], result.Version.Aliases);
        // The host's clock, not the machine's, dates the model.
        Assert.Equal(_host.Clock.GetUtcNow(), result.Metadata.CreatedAt);
        Assert.Equal("simulated:baseline:2000:4", result.Metadata.Data.File);
        var stored = await _host.Registry.GetPackageAsync("leads", 1);
        Assert.Equal(result.Metadata.Files, ModelPackage.Load(stored!).Metadata.Files);
        var audit = await _host.Registry.GetAuditLogAsync("leads");
        Assert.Equal(["alias-set", "stage", "register"], audit.Select(e => e.Action));
        Assert.All(audit, e => Assert.Equal(("system:test", "first model"), (e.Actor, e.Reason)));
    }

    [Fact]
    public async Task Without_promotion_or_alias_the_version_is_only_registered()
    {
        var useCase = _host.Services.GetRequiredService<TrainAndRegister>();

        var result = await useCase.RunAsync(new TrainAndRegisterRequest(
            "leads", TrainingData.Simulated(new SimulationOptions(2000, Seed: 4)), Quick, "system:test", null));

        Assert.Equal(ModelStage.None, result.Version.Stage);
        Assert.Empty(result.Version.Aliases);
        Assert.Null(await _host.Registry.GetProductionAsync("leads"));
    }

    [Fact]
    public async Task The_registration_gate_still_refuses_a_changed_feature_set()
    {
        var useCase = _host.Services.GetRequiredService<TrainAndRegister>();
        await useCase.RunAsync(new TrainAndRegisterRequest("leads", TrainingData.Simulated(new SimulationOptions(2000, Seed: 4)), Quick, "system:test", null));
        var table = DropLastFeature(LeadSimulator.Generate(new SimulationOptions(2000, Seed: 5)).Table);

        var error = await Assert.ThrowsAsync<RegistryException>(() => useCase.RunAsync(new TrainAndRegisterRequest(
            "leads", TrainingData.FromTable(table, new DataSource("fewer.csv", null)), Quick, "system:test", null, Promote: true)));

        Assert.Equal(RegistryErrorKind.Conflict, error.Kind);
        Assert.Single(await _host.Registry.ListVersionsAsync("leads"));
    }

    [Fact]
    public async Task A_cancelled_run_registers_nothing()
    {
        var useCase = _host.Services.GetRequiredService<TrainAndRegister>();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => useCase.RunAsync(
            new TrainAndRegisterRequest("leads", TrainingData.Simulated(new SimulationOptions(2000, Seed: 4)), Quick, "system:test", null), cancelled.Token));

        Assert.Empty(await _host.Registry.ListModelsAsync());
    }

    private static LeadTable DropLastFeature(LeadTable table)
    {
        var schema = table.Schema;
        var smaller = new LeadSchema(schema.Name, schema.Id, schema.Label, schema.Positive, schema.Negative, schema.Timestamp, schema.Revenue, schema.Delimiter, schema.Features.Take(schema.Features.Count - 1).ToList(), schema.Exclude, schema.MissingValues);
        return new LeadTable(smaller, table.Columns.Take(table.Columns.Count - 1).ToList(), table.Ids, table.Timestamps, table.Labels, table.Revenue);
    }
}
