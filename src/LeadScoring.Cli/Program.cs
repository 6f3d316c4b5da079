using System.CommandLine;

var root = new RootCommand("leadscore: train, register, serve and monitor lead-scoring models");
return await root.Parse(args).InvokeAsync();
