using LeadScoring.Cli;

return await LeadScoreCli.Create().Parse(args).InvokeAsync();
