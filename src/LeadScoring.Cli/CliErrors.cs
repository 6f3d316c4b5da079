using System.CommandLine;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Packaging;

namespace LeadScoring.Cli;

/// <summary>Exit codes of `leadscore`.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: arguments, files, schema, data or model package. The message says what and where.</summary>
    public const int InvalidInput = 1;

    /// <summary>The registry refused: not found, or a conflict such as nothing to roll back to.</summary>
    public const int Refused = 2;

    /// <summary>An unexpected failure (a bug or the environment); the message and stack trace are printed.</summary>
    public const int Failure = 70;
}

/// <summary>Runs a command's body and turns known failures into one clear line and an exit code.</summary>
internal static class CliErrors
{
    public static async Task<int> Run(ParseResult result, Func<TextWriter, TextWriter, Task<int>> body)
    {
        var output = result.InvocationConfiguration.Output;
        var error = result.InvocationConfiguration.Error;
        try
        {
            return await body(output, error).ConfigureAwait(false);
        }
        catch (Exception e) when (e is LeadDataException or SchemaException or ModelPackageException or ArgumentException or FileNotFoundException or DirectoryNotFoundException)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (Exception e) when (RegistryErrors.IsRefusal(e, out var message))
        {
            await error.WriteLineAsync($"error: {message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: unexpected failure: {e}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
