using System.CommandLine;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Modeling.Packaging;
using LeadScoring.Storage;
using LeadScoring.Storage.Registry;

namespace LeadScoring.Cli;

/// <summary>Exit codes of `leadscore`.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Bad input: anything the user typed wrong (arguments, names, files, schema, data or model package). The message says what and where.</summary>
    public const int InvalidInput = 1;

    /// <summary>The registry refused: not found, or a conflict such as nothing to roll back to.</summary>
    public const int Refused = 2;

    /// <summary>The store cannot be used (full disk, read-only, corrupt, unreachable); the message names the cause.</summary>
    public const int StoreUnavailable = 3;

    /// <summary>An unexpected failure (a bug); the message and stack trace are printed.</summary>
    public const int Failure = 70;

    /// <summary>The exit codes as the help text lists them.</summary>
    public const string Help =
        "Exit codes: 0 done; 1 bad input (arguments, names, files, schema, data, package); 2 refused by the registry (not found, conflict); " +
        "3 the store cannot be used (full disk, read-only, corrupt, unreachable); 70 unexpected failure (a bug: the stack trace is printed).";
}

/// <summary>Something the user typed is wrong (exit 1); the message says what and how to fix it.</summary>
internal sealed class InvalidInputException(string message) : Exception(message);

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
        catch (Exception e) when (e is InvalidInputException or LeadDataException or SchemaException or ModelPackageException or ArgumentException or FileNotFoundException or DirectoryNotFoundException
            or RegistryException { Kind: RegistryErrorKind.Invalid })
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.InvalidInput;
        }
        catch (RegistryException e)
        {
            await error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Refused;
        }

        catch (Exception e) when (StoreFaults.Classify(e) is { } fault)
        {
            // The environment, not a bug: one line naming the cause (the provider's message is inside), no stack trace.
            var message = e is StoreUnavailableException ? e.Message : $"{fault}: {e.Message}";
            await error.WriteLineAsync($"error: the store cannot be used: {message}").ConfigureAwait(false);
            return ExitCodes.StoreUnavailable;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await error.WriteLineAsync($"error: unexpected failure: {e}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
