using System.CommandLine;
using System.Globalization;
using LeadScoring.Application.Registration;
using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Cli.Commands;

/// <summary>`leadscore package DIR --out FILE.zip`: packs a package folder into the archive HTTP upload takes.</summary>
internal static class PackageCommand
{
    public static Command Create()
    {
        var package = new Argument<string>("package") { Description = "The package folder written by `leadscore train`" };
        var output = new Option<string>("--out") { Description = "Archive to write (.zip), the body of POST /registry/models/{name}/versions (application/zip)", Required = true }
            .WithExtensions(".zip");
        var force = new Option<bool>("--force") { Description = "Overwrite an existing output file" };

        var command = new Command("package", "Verify a package folder (hashes, model, probe scores) and write it as one archive for HTTP upload") { package, output, force };
        command.SetAction((result, cancellationToken) => CliErrors.Run(result, async (stdout, _) =>
        {
            var directory = result.GetValue(package)!;
            var path = result.GetValue(output)!;
            if (File.Exists(path) && !result.GetValue(force))
            {
                throw new InvalidInputException($"{path} already exists; pass --force to overwrite it");
            }

            var archive = ModelPackage.Archive(directory);
            // The registry-free half of registration: an archive that would be refused is never written.
            var verified = ModelRegistration.Verify(archive, directory);
            await File.WriteAllBytesAsync(path, archive, cancellationToken).ConfigureAwait(false);
            await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"wrote {path} ({archive.Length:N0} bytes, {verified.Metadata.Name}, verified)")).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
