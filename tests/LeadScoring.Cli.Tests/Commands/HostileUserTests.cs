using LeadScoring.Cli.Tests.Support;
using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Cli.Tests.Commands;

/// <summary>Regression tests for what a new user found trying to break the CLI.</summary>
public sealed class HostileUserTests(TrainedPackage package) : IClassFixture<TrainedPackage>, IDisposable
{
    private readonly Scratch _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Bad_names_aliases_and_versions_are_bad_input_exit_1_while_unknown_ones_are_refusals_exit_2()
    {
        var data = _dir["data"];
        await Leadscore.RunAsync("register", package.Folder, "--name", "leads", "--data-dir", data);

        var badAlias = await Leadscore.RunAsync("alias", "leads@1", "Not An Alias!", "--data-dir", data);
        var versionZero = await Leadscore.RunAsync("promote", "leads@0", "--data-dir", data);
        var badName = await Leadscore.RunAsync("models", "show", "no such/name", "--data-dir", data);
        var badNameAt = await Leadscore.RunAsync("promote", "no such/name@1", "--data-dir", data);
        var unknownVersion = await Leadscore.RunAsync("promote", "leads@9", "--data-dir", data);
        var unknownModel = await Leadscore.RunAsync("models", "show", "ghost", "--data-dir", data);

        Assert.Equal(1, badAlias.Exit);
        Assert.Contains("alias 'Not An Alias!' is invalid", badAlias.Err, StringComparison.Ordinal);
        Assert.Equal(1, versionZero.Exit);
        Assert.Contains("version 0 is invalid", versionZero.Err, StringComparison.Ordinal);
        Assert.Equal(1, badName.Exit);
        Assert.Equal(1, badNameAt.Exit);
        Assert.Equal(2, unknownVersion.Exit);
        Assert.Equal(2, unknownModel.Exit);
    }

    [Fact]
    public async Task A_no_op_promote_or_alias_says_nothing_changed_and_writes_no_audit_entry()
    {
        var data = _dir["data"];
        await Leadscore.RunAsync("register", package.Folder, "--name", "lead-scoring", "--data-dir", data);
        await Leadscore.RunAsync("promote", "lead-scoring@1", "--data-dir", data);
        await Leadscore.RunAsync("alias", "lead-scoring@1", "champion", "--data-dir", data);
        var before = await Leadscore.RunAsync("models", "audit", "--data-dir", data);

        var promote = await Leadscore.RunAsync("promote", "lead-scoring@1", "--data-dir", data);
        var alias = await Leadscore.RunAsync("alias", "lead-scoring@1", "champion", "--data-dir", data);
        var after = await Leadscore.RunAsync("models", "audit", "--data-dir", data);

        Assert.Equal((0, "lead-scoring v1 is already in Production; nothing changed\n"), (promote.Exit, promote.Out));
        Assert.Equal((0, "lead-scoring@champion already points at v1; nothing changed\n"), (alias.Exit, alias.Out));
        Assert.Equal(before.Out, after.Out);
    }

    [Theory]
    [InlineData("scored.csv")]
    [InlineData("scored.parquet")]
    public async Task A_header_only_file_scores_to_an_output_with_the_columns(string name)
    {
        File.WriteAllLines(_dir["empty.csv"], File.ReadLines(package.Leads).Take(1));

        var (exit, stdout, err) = await Leadscore.RunAsync("score", "--model", package.Folder, "--data", _dir["empty.csv"], "--out", _dir[name]);

        Assert.True(exit == 0, err);
        Assert.StartsWith("scored 0 leads", stdout, StringComparison.Ordinal);
        if (name.EndsWith(".csv", StringComparison.Ordinal))
        {
            Assert.Equal(["lead_id,score,bucket"], File.ReadAllLines(_dir[name]));
        }
        else
        {
            Assert.Equal("PAR1"u8.ToArray(), File.ReadAllBytes(_dir[name])[..4]);
        }
    }

    [Theory]
    [InlineData("models", "list")]
    [InlineData("models", "show", "leads")]
    [InlineData("models", "audit")]
    [InlineData("score", "--model", "leads@1", "--data", "leads.csv", "--out", "scored.csv")]
    public async Task A_read_only_command_on_a_mistyped_data_dir_refuses_and_creates_nothing(params string[] args)
    {
        var (exit, _, err) = await Leadscore.RunAsync([.. args, "--data-dir", _dir["data2"]]);

        Assert.Equal(1, exit);
        Assert.Contains($"no registry at {Path.Combine(_dir["data2"], "leadscoring.db")}; check --data-dir or LEADSCORING_DATA_DIR", err, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dir["data2"]));
    }

    [Fact]
    public async Task Package_writes_the_archive_that_registration_takes_and_refuses_to_overwrite_without_force()
    {
        var first = await Leadscore.RunAsync("package", package.Folder, "--out", _dir["model.zip"]);
        var again = await Leadscore.RunAsync("package", package.Folder, "--out", _dir["model.zip"]);
        var forced = await Leadscore.RunAsync("package", package.Folder, "--out", _dir["model.zip"], "--force");

        Assert.True(first.Exit == 0, first.Err);
        Assert.StartsWith($"wrote {_dir["model.zip"]}", first.Out, StringComparison.Ordinal);
        Assert.Equal(ModelPackage.Archive(package.Folder), File.ReadAllBytes(_dir["model.zip"]));
        Assert.Equal(1, again.Exit);
        Assert.Contains("already exists; pass --force", again.Err, StringComparison.Ordinal);
        Assert.Equal(0, forced.Exit);
    }

    [Fact]
    public async Task Package_refuses_a_corrupt_folder_and_writes_nothing()
    {
        var copy = _dir["copy"];
        Directory.CreateDirectory(copy);
        foreach (var file in Directory.GetFiles(package.Folder))
        {
            File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
        }

        var model = Path.Combine(copy, "model.zip");
        File.WriteAllBytes(model, File.ReadAllBytes(model)[..1000]);

        var (exit, _, err) = await Leadscore.RunAsync("package", copy, "--out", _dir["model.zip"]);

        Assert.Equal(1, exit);
        Assert.Contains("model.zip is corrupt or truncated", err, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir["model.zip"]));
    }
}
