using System.CommandLine;
using LeadScoring.Cli.Tests.Support;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>Every option is checked while parsing: a bad value exits 1 with a message naming the option, never a crash.</summary>
public sealed class OptionValidationTests : IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Every numeric option of every command, with the path of the command that has it.</summary>
    public static TheoryData<string, string> NumericOptions()
    {
        var data = new TheoryData<string, string>();
        void Walk(Command command, string path)
        {
            foreach (var option in command.Options.Where(o => Nullable.GetUnderlyingType(o.ValueType) is { } t ? IsNumber(t) : IsNumber(o.ValueType)))
            {
                data.Add(path, option.Name);
            }

            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(LeadScoreCli.Create(), "");
        return data;
    }

    [Theory]
    [MemberData(nameof(NumericOptions))]
    public async Task A_value_that_is_not_a_number_exits_1_naming_the_option(string command, string option)
    {
        foreach (var value in new[] { "abc", "1e999", "" })
        {
            var (exit, _, err) = await Leadscore.RunAsync([.. command.Split(' '), option, value]);

            Assert.Equal(1, exit);
            Assert.Contains($"{option} must be", err, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("simulate", "--rows", "1e3")]
    [InlineData("simulate", "--rows", "-5")]
    [InlineData("simulate", "--rows", "10000001")]
    [InlineData("simulate", "--days", "0")]
    [InlineData("train", "--leaves", "0")]
    [InlineData("train", "--leaves", "1")]
    [InlineData("train", "--iterations", "0")]
    [InlineData("train", "--learning-rate", "0")]
    [InlineData("train", "--learning-rate", "1.5")]
    [InlineData("train", "--learning-rate", "NaN")]
    [InlineData("train", "--min-leaf", "0")]
    [InlineData("train", "--test-fraction", "1")]
    [InlineData("train", "--test-fraction", "0")]
    [InlineData("models audit", "--limit", "0")]
    [InlineData("models audit", "--limit", "1001")]
    public async Task A_value_out_of_range_exits_1_naming_the_option(string command, string option, string value)
    {
        var (exit, _, err) = await Leadscore.RunAsync([.. command.Split(' '), option, value]);

        Assert.Equal(1, exit);
        Assert.Contains($"{option} must be", err, StringComparison.Ordinal);
        Assert.Contains($"got '{value}'", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mistake_on_the_command_line_prints_what_is_wrong_not_the_whole_help()
    {
        var (exit, stdout, stderr) = await Leadscore.RunAsync("simulate", "--rows", "1e3", "--out", _dir["x.csv"], "--sedd", "4");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Contains("--rows must be a positive number", stderr, StringComparison.Ordinal);
        Assert.Contains("'--sedd'", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["x.csv"]));
    }

    [Fact]
    public async Task Train_with_zero_leaves_stops_before_lightgbm_and_writes_nothing()
    {
        await Leadscore.RunAsync("simulate", "--rows", "300", "--out", _dir["leads.csv"]);

        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", _dir["leads.csv"], "--schema", RepositoryPaths.File("schemas/simulated-leads.json"), "--out", _dir["pkg"], "--leaves", "0");

        Assert.Equal(1, exit);
        Assert.Contains("--leaves must be a whole number from 2 to 1024; got '0'", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["pkg"]));
    }

    [Theory]
    [InlineData("simulate", "leads.txt", ".csv or .parquet")]
    [InlineData("simulate", "leads", ".csv or .parquet")]
    [InlineData("score", "scored.json", ".csv or .parquet")]
    [InlineData("package", "pkg.tar", ".zip")]
    public async Task An_output_file_with_an_unknown_extension_is_refused(string command, string output, string allowed)
    {
        var args = command switch
        {
            "simulate" => new[] { "simulate", "--rows", "10" },
            "score" => ["score", "--model", _dir["pkg"], "--data", _dir["leads.csv"]],
            _ => ["package", _dir["pkg"]],
        };

        var (exit, _, err) = await Leadscore.RunAsync([.. args, "--out", _dir[output]]);

        Assert.Equal(1, exit);
        Assert.Contains($"must end in {allowed}", err, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir[output]));
    }

    [Fact]
    public async Task Train_refuses_an_output_that_names_a_file()
    {
        var (exit, _, err) = await Leadscore.RunAsync("train", "--data", "leads.csv", "--schema", "schema.json", "--out", _dir["model.zip"]);

        Assert.Equal(1, exit);
        Assert.Contains("must be a package folder, not a file", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_lists_the_exit_codes_on_every_command()
    {
        foreach (var command in new[] { "simulate", "package", "models audit", "score" })
        {
            var (exit, stdout, _) = await Leadscore.RunAsync([.. command.Split(' '), "--help"]);

            Assert.Equal(0, exit);
            Assert.Contains("1 bad input", stdout, StringComparison.Ordinal);
            Assert.Contains("3 the store cannot be used", stdout, StringComparison.Ordinal);
        }

        Assert.Equal(3, ExitCodes.StoreUnavailable);
    }

    private static bool IsNumber(Type type) => type == typeof(int) || type == typeof(double) || type == typeof(long);
}
