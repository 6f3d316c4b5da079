using LeadScoring.Server;

var app = LeadScoringHost.Build(args);
app.Run();
