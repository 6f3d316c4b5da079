using LeadScoring.Core.Alerting;

namespace LeadScoring.Application.Alerting;

/// <summary>
/// What one rule judged about one subject: breached or not (a judgement that clears an open alert), at which level,
/// in a sentence, and the figures behind it. A subject that could not be judged (too few leads, labels not mature)
/// gets no verdict, so an open alert stays as it is.
/// </summary>
/// <param name="Rule">The rule.</param>
/// <param name="Subject">What it looked at: "model/arm", "model/arm/feature", "model/scoring", "model/deployment/7".</param>
/// <param name="Model">The model.</param>
/// <param name="Breached">True when the condition holds.</param>
/// <param name="Level">The breach's level (the rule's lowest when not breached).</param>
/// <param name="Summary">One sentence for a person.</param>
/// <param name="Figures">The figures behind it (numbers, strings, times).</param>
public sealed record RuleVerdict(AlertRule Rule, string Subject, string Model, bool Breached, AlertLevel Level, string Summary, IReadOnlyDictionary<string, object?> Figures);
