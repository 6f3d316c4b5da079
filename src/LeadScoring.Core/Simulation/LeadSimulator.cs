using System.Globalization;
using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using MathNet.Numerics.Distributions;

namespace LeadScoring.Core.Simulation;

/// <summary>
/// Simulates inbound sales leads with a known ground truth: each lead's conversion probability is a fixed
/// logistic function of its visible features (plus, in some scenarios, the calendar), so a model's quality
/// can be judged against the best achievable. Revenue is drawn for converted leads. Same options, same leads.
/// </summary>
public static class LeadSimulator
{
    /// <summary>The schema of simulated leads (also shipped as schemas/simulated-leads.json).</summary>
    public static readonly LeadSchema Schema = new(
        name: "simulated-leads",
        id: "lead_id",
        label: "converted",
        positive: ["1"],
        negative: ["0"],
        timestamp: "created_at",
        revenue: "revenue",
        delimiter: ',',
        features:
        [
            new("lead_source", FeatureType.Categorical),
            new("lead_origin", FeatureType.Categorical),
            new("total_visits", FeatureType.Numeric),
            new("time_on_site_sec", FeatureType.Numeric),
            new("pages_per_visit", FeatureType.Numeric),
            new("last_activity", FeatureType.Categorical),
            new("occupation", FeatureType.Categorical),
            new("country", FeatureType.Categorical),
            new("company_size", FeatureType.Numeric),
            new("do_not_email", FeatureType.Boolean),
            new("requested_demo", FeatureType.Boolean),
        ],
        exclude:
        [
            new("sales_status", "set by sales after contacting the lead: leaks the label"),
        ],
        missingValues: [""]);

    private static readonly Choice Sources = new(
        ["google_ads", "organic_search", "direct", "referral", "partner", "webinar", "social", "email_campaign", "events"],
        [0.28, 0.20, 0.17, 0.08, 0.05, 0.06, 0.08, 0.05, 0.03]);

    private static readonly double[] ShiftedSourceMix = [0.15, 0.12, 0.12, 0.06, 0.06, 0.08, 0.30, 0.08, 0.03];
    private static readonly double[] SourceEffect = [0.0, 0.2, 0.1, 0.9, 0.7, 0.6, -0.5, 0.3, 0.4];
    private static readonly double[] SourceEffectAfterConceptDrift = [0.3, 0.2, 0.1, 0.0, 0.2, 0.6, 0.4, 0.3, 0.4];

    private static readonly Choice Origins = new(["landing_page", "api", "form", "chat", "import"], [0.45, 0.25, 0.15, 0.10, 0.05]);
    private static readonly double[] OriginEffect = [0.0, -0.4, 0.5, 0.3, -0.8];

    // Ordered from least to most engaged: engaged leads draw further along the list.
    private static readonly Choice Activities = new(
        ["unreachable", "email_bounced", "sms_sent", "email_opened", "page_visited", "form_submitted", "webinar_attended", "chat_conversation"],
        [0.07, 0.08, 0.05, 0.35, 0.20, 0.12, 0.05, 0.08]);

    private static readonly double[] ActivityEffect = [-1.2, -1.0, 0.4, 0.2, 0.0, 0.6, 0.7, 0.8];

    // Index 5 is "not given" (missing): as in real lead data, not answering says something.
    private static readonly Choice Occupations = new(["professional", "student", "unemployed", "business_owner", "other", ""], [0.30, 0.15, 0.20, 0.08, 0.05, 0.22]);
    private static readonly double[] OccupationEffect = [0.6, -0.5, 0.1, 0.9, 0.0, -0.9];
    private static readonly double[] OccupationEffectAfterConceptDrift = [-0.3, 0.6, 0.1, 0.9, 0.0, -0.9];

    private static readonly Choice Countries = new(
        ["india", "united states", "united kingdom", "uae", "singapore", "australia", "canada", "germany", "other", ""],
        [0.42, 0.15, 0.08, 0.07, 0.05, 0.04, 0.04, 0.03, 0.02, 0.10]);

    private static readonly double[] CountryEffect = [0.0, 0.2, 0.15, 0.1, 0.1, 0.15, 0.15, 0.1, -0.2, -0.3];

    private static readonly string[] LostStatuses = ["lost", "no_answer", "not_interested", "nurturing"];

    /// <summary>Simulates leads; the table carries ids, arrival times, labels and revenue.</summary>
    public static SimulatedLeads Generate(SimulationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Rows);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Days, 1);
        var random = new Random(options.Seed);
        var n = options.Rows;
        var scenario = options.Scenario;
        var times = ArrivalTimes(random, n, options.Start ?? SimulationOptions.DefaultStart, options.Days, scenario);

        var ids = new string?[n];
        var source = new string?[n];
        var origin = new string?[n];
        var visits = new double[n];
        var timeOnSite = new double[n];
        var pages = new double[n];
        var activity = new string?[n];
        var occupation = new string?[n];
        var country = new string?[n];
        var companySize = new double[n];
        var doNotEmail = new double[n];
        var demo = new double[n];
        var labels = new bool[n];
        var revenue = new double[n];
        var status = new string?[n];
        var probability = new double[n];
        var sourceMix = scenario == Scenario.SourceShift ? new Choice(Sources.Values, ShiftedSourceMix) : Sources;
        var conceptDrift = scenario == Scenario.ConceptDrift;

        for (var i = 0; i < n; i++)
        {
            ids[i] = "L" + (options.Seed.ToString("x", CultureInfo.InvariantCulture) + "-" + (i + 1).ToString("D7", CultureInfo.InvariantCulture));
            var engagement = Normal.Sample(random, 0, 1);
            var s = sourceMix.Draw(random);
            var o = Origins.Draw(random);
            var visitCount = Poisson.Sample(random, Math.Exp(1.0 + (0.5 * engagement)));
            var bounced = random.NextDouble() < 0.2;
            var seconds = bounced ? 0 : Math.Min(3600, Math.Round(LogNormal.Sample(random, 5.5 + (0.6 * engagement), 0.8)));
            var pagesPerVisit = visitCount == 0 ? 0 : Math.Round(Math.Clamp(LogNormal.Sample(random, 0.8 + (0.2 * engagement), 0.4), 1, 30), 2);
            var a = Activities.Draw(random, shift: engagement);
            var occ = Occupations.Draw(random);
            var c = Countries.Draw(random);
            var size = Math.Round(LogNormal.Sample(random, 3, 1.2));
            var sizeMissing = random.NextDouble() < 0.3;
            var noEmail = random.NextDouble() < 0.08;
            var wantsDemo = random.NextDouble() < 0.10 + (0.15 / (1 + Math.Exp(-engagement)));
            var visitsMissing = random.NextDouble() < 0.015;

            // Additive effects plus a few the trees must find: saturating engagement, an inverted U in pages per
            // visit, and interactions (demo requests from professionals, referral forms, social API leads).
            var occupationEffect = (conceptDrift ? OccupationEffectAfterConceptDrift : OccupationEffect)[occ];
            var logit = (conceptDrift ? -2.2 : -3.0)
                + (1.2 * (conceptDrift ? SourceEffectAfterConceptDrift : SourceEffect)[s])
                + OriginEffect[o]
                + (0.3 * Math.Log(1 + visitCount))
                + ((conceptDrift ? 0.8 : 2.8) * (1 - Math.Exp(-seconds / 500.0)))
                - (0.06 * Math.Pow(Math.Min(pagesPerVisit, 10) - 3, 2))
                + (1.6 * ActivityEffect[a])
                + (1.3 * occupationEffect)
                + CountryEffect[c]
                + (sizeMissing ? -0.1 : 0.15 * (Math.Log(1 + size) - 3))
                + (noEmail ? -0.8 : 0)
                + (wantsDemo ? (conceptDrift ? 0.3 : 0.8 + (occ is 0 or 3 ? 1.0 : 0)) : 0)
                + (s == 3 && o == 2 ? 0.8 : 0)
                + (s == 6 && o == 1 ? -0.7 : 0)
                + (scenario == Scenario.Seasonality ? SeasonalEffect(times[i]) : 0);
            var p = 1 / (1 + Math.Exp(-logit));
            var converted = random.NextDouble() < p;
            // Draw the same number of values whatever the outcome, so scenarios differ only where they mean to.
            var lostStatus = LostStatuses[random.Next(LostStatuses.Length)];
            var dealSize = LogNormal.Sample(random, Math.Log(900) + (sizeMissing ? 0 : 0.25 * (Math.Log(1 + size) - 3)) + (occ == 3 ? 0.4 : 0), 0.6);

            source[i] = Sources.Values[s];
            origin[i] = Origins.Values[o];
            visits[i] = visitsMissing ? double.NaN : visitCount;
            timeOnSite[i] = scenario == Scenario.BrokenPipeline ? 0 : seconds;
            pages[i] = visitsMissing || scenario == Scenario.BrokenPipeline ? double.NaN : pagesPerVisit;
            activity[i] = Activities.Values[a];
            occupation[i] = Occupations.Values[occ] is { Length: > 0 } occText ? occText : null;
            country[i] = Countries.Values[c] is { Length: > 0 } countryText ? countryText : null;
            companySize[i] = sizeMissing ? double.NaN : size;
            doNotEmail[i] = noEmail ? 1 : 0;
            demo[i] = wantsDemo ? 1 : 0;
            labels[i] = converted;
            revenue[i] = converted ? Math.Round(dealSize, 2) : 0;
            status[i] = converted ? "won" : lostStatus;
            probability[i] = p;
        }

        var f = Schema.Features;
        var table = new LeadTable(
            Schema,
            [
                new CategoricalColumn(f[0], source),
                new CategoricalColumn(f[1], origin),
                new NumericColumn(f[2], visits),
                new NumericColumn(f[3], timeOnSite),
                new NumericColumn(f[4], pages),
                new CategoricalColumn(f[5], activity),
                new CategoricalColumn(f[6], occupation),
                new CategoricalColumn(f[7], country),
                new NumericColumn(f[8], companySize),
                new NumericColumn(f[9], doNotEmail),
                new NumericColumn(f[10], demo),
            ],
            ids,
            times,
            labels,
            revenue);
        return new SimulatedLeads(table, status, probability);
    }

    // A summer dip and a year-end push in how readily leads convert, and quieter weekends.
    private static double SeasonalEffect(DateTimeOffset time)
    {
        var yearAngle = 2 * Math.PI * (time.DayOfYear - 1) / 365.0;
        var weekend = time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? -0.3 : 0;
        return (0.45 * Math.Cos(yearAngle)) + weekend;
    }

    private static DateTimeOffset[] ArrivalTimes(Random random, int n, DateTimeOffset start, int days, Scenario scenario)
    {
        var span = TimeSpan.FromDays(days).Ticks;
        var ticks = new long[n];
        for (var i = 0; i < n; i++)
        {
            long t;
            do
            {
                t = (long)(random.NextDouble() * span);
            }
            while (scenario == Scenario.Seasonality && random.NextDouble() > ArrivalDensity(start.AddTicks(t)));

            ticks[i] = t;
        }

        Array.Sort(ticks);
        var times = new DateTimeOffset[n];
        for (var i = 0; i < n; i++)
        {
            // Whole seconds keep files exact and readable.
            times[i] = start.AddSeconds(Math.Floor(TimeSpan.FromTicks(ticks[i]).TotalSeconds));
        }

        return times;
    }

    private static double ArrivalDensity(DateTimeOffset time)
    {
        var weekend = time.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0.4 : 1.0;
        var summer = time.Month is 7 or 8 ? 0.7 : 1.0;
        return weekend * summer;
    }

    private sealed class Choice(string[] values, double[] weights)
    {
        private readonly double[] _cumulative = Cumulative(weights);

        public string[] Values { get; } = values;

        public int Draw(Random random, double shift = 0)
        {
            // A positive shift tilts the draw towards later (more engaged) entries.
            var u = random.NextDouble();
            if (shift != 0)
            {
                u = Math.Clamp(u + (0.08 * shift), 0, 0.999999);
            }

            var index = Array.BinarySearch(_cumulative, u);
            return Math.Min(index < 0 ? ~index : index, Values.Length - 1);
        }

        private static double[] Cumulative(double[] weights)
        {
            var total = weights.Sum();
            var cumulative = new double[weights.Length];
            var running = 0.0;
            for (var i = 0; i < weights.Length; i++)
            {
                running += weights[i] / total;
                cumulative[i] = running;
            }

            return cumulative;
        }
    }
}

/// <summary>Simulated leads, plus what only a simulator knows.</summary>
/// <param name="Table">The leads as a table of the simulator's schema.</param>
/// <param name="SalesStatus">What sales recorded after contact (leaks the label; excluded from the schema's features).</param>
/// <param name="TrueProbability">Each lead's ground-truth conversion probability.</param>
public sealed record SimulatedLeads(LeadTable Table, string?[] SalesStatus, double[] TrueProbability);
