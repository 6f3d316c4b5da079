using LeadScoring.Cli;

try
{
    return await LeadScoreCli.Parse(args).InvokeAsync();
}
catch (Exception e) when (e is not OperationCanceledException)
{
    // Commands report their own failures (CliErrors); this only catches a bug in parsing itself, which would
    // otherwise abort the process (exit 134) instead of exiting 70 with the stack trace.
    await Console.Error.WriteLineAsync($"error: unexpected failure: {e}");
    return ExitCodes.Failure;
}
