using LeadScoring.Application.Configuration;
using Microsoft.Extensions.Configuration;

namespace LeadScoring.Application.Tests.Configuration;

public sealed class EnvironmentVariablesTests
{
    [Fact]
    public void Each_variable_maps_to_its_agreed_configuration_key()
    {
        var environment = new Dictionary<string, string>
        {
            ["LEADSCORING_DATA_DIR"] = "/srv/leads",
            ["LEADSCORING_POSTGRES"] = "Host=db",
            ["LEADSCORING_ADMIN_KEY"] = "0123456789abcdef0123",
            ["LEADSCORING_INGEST_KEY"] = "ingest-0123456789abcdef",
            ["LEADSCORING_MODEL"] = "churn",
        };

        var configuration = new ConfigurationBuilder().AddLeadScoringEnvironment(environment.GetValueOrDefault).Build();

        Assert.Equal("/srv/leads", configuration["Storage:DataDirectory"]);
        Assert.Equal("Host=db", configuration["Storage:PostgresConnectionString"]);
        Assert.Equal("0123456789abcdef0123", configuration["LeadScoring:Admin:Key"]);
        Assert.Equal("ingest-0123456789abcdef", configuration["LeadScoring:Ingest:Key"]);
        Assert.Equal("churn", configuration["LeadScoring:Serving:ModelName"]);
    }

    [Fact]
    public void Unset_and_empty_variables_add_nothing()
    {
        var environment = new Dictionary<string, string> { ["LEADSCORING_DATA_DIR"] = "" };

        var values = EnvironmentVariables.Values(environment.GetValueOrDefault);

        Assert.Empty(values);
    }

    [Fact]
    public void The_command_line_added_after_the_environment_wins()
    {
        var environment = new Dictionary<string, string> { ["LEADSCORING_DATA_DIR"] = "from-env" };

        var configuration = new ConfigurationBuilder()
            .AddLeadScoringEnvironment(environment.GetValueOrDefault)
            .AddInMemoryCollection([new("Storage:DataDirectory", "from-command-line")])
            .Build();

        Assert.Equal("from-command-line", configuration["Storage:DataDirectory"]);
    }
}
