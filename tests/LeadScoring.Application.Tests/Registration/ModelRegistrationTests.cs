using LeadScoring.Application.Registration;
using LeadScoring.Application.Tests.Support;
using LeadScoring.Application.Training;
using LeadScoring.Core.Simulation;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.DependencyInjection;

namespace LeadScoring.Application.Tests.Registration;

public sealed class ModelRegistrationTests : IAsyncLifetime, IAsyncDisposable
{
    private readonly ApplicationHost _host = new();

    public Task InitializeAsync() => Task.CompletedTask;

    // xUnit v2 disposes a test class through IAsyncLifetime, never IAsyncDisposable (the host's scratch folder was left
    // behind); IAsyncDisposable is for the analyzers, which see a disposable field.
    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    ValueTask IAsyncDisposable.DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task A_truncated_archive_never_reaches_the_registry()
    {
        var trained = ModelTrainer.Train(
            LeadSimulator.Generate(new SimulationOptions(1500, Seed: 8)).Table,
            new TrainingOptions(CalibrationFolds: 2, LightGbm: new LightGbmSettings(Iterations: 20)),
            new DataSource(null, null),
            _host.Clock);
        var archive = ModelPackage.Pack(trained).ToArchive();
        var registration = _host.Services.GetRequiredService<ModelRegistration>();

        await Assert.ThrowsAsync<ModelPackageException>(() => registration.RegisterAsync(new RegistrationRequest("leads", archive[..(archive.Length / 2)], "system:test")));
        var version = await registration.RegisterAsync(new RegistrationRequest("leads", archive, "system:test"));

        Assert.Equal(1, version.Version);
        Assert.Single(await _host.Registry.ListVersionsAsync("leads"));
    }

    [Fact]
    public void The_application_keeps_the_hosts_clock()
    {
        Assert.Same(_host.Clock, _host.Services.GetRequiredService<TimeProvider>());
        Assert.NotNull(_host.Services.GetRequiredService<TrainAndRegister>());
    }
}
