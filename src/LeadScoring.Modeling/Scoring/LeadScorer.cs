using LeadScoring.Core.Data;
using LeadScoring.Core.Features;
using LeadScoring.Modeling.Training;
using Microsoft.Extensions.ObjectPool;
using Microsoft.ML;

namespace LeadScoring.Modeling.Scoring;

/// <summary>
/// Scores leads with a loaded model. ML.NET's PredictionEngine is not thread-safe, so engines (each with its
/// own reusable input and output buffers) are pooled; scoring one lead allocates nothing.
/// </summary>
public sealed class LeadScorer
{
    private readonly FeatureEncoder _encoder;
    private readonly ObjectPool<Session> _sessions;

    internal LeadScorer(MLContext ml, ITransformer model, FeatureEncoder encoder)
    {
        _encoder = encoder;
        _sessions = new DefaultObjectPool<Session>(new SessionPolicy(ml, model, encoder), Math.Max(4, Environment.ProcessorCount * 4));
    }

    /// <summary>The calibrated conversion probability of one lead.</summary>
    public double Score(LeadFeatures lead)
    {
        ArgumentNullException.ThrowIfNull(lead);
        var session = _sessions.Get();
        try
        {
            _encoder.Encode(lead, session.Input.Features);
            return session.Predict();
        }
        finally
        {
            _sessions.Return(session);
        }
    }

    /// <summary>Scores every row of a table (whose schema must be the model's) using all cores.</summary>
    public double[] Score(LeadTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var scores = new double[table.Count];
        const int Block = 2048;
        var blocks = (table.Count + Block - 1) / Block;
        Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, b =>
        {
            var session = _sessions.Get();
            try
            {
                var end = Math.Min(table.Count, (b + 1) * Block);
                for (var row = b * Block; row < end; row++)
                {
                    _encoder.Encode(table, row, session.Input.Features);
                    scores[row] = session.Predict();
                }
            }
            finally
            {
                _sessions.Return(session);
            }
        });
        return scores;
    }

    private sealed class Session(PredictionEngine<ModelInput, ModelOutput> engine, ModelInput input)
    {
        private ModelOutput _output = new();

        public ModelInput Input { get; } = input;

        public double Predict()
        {
            engine.Predict(Input, ref _output);
            return _output.Probability;
        }
    }

    private sealed class SessionPolicy(MLContext ml, ITransformer model, FeatureEncoder encoder) : PooledObjectPolicy<Session>
    {
        public override Session Create() =>
            new(ml.Model.CreatePredictionEngine<ModelInput, ModelOutput>(model, ignoreMissingColumns: true, inputSchemaDefinition: ModelInput.Schema(encoder)), ModelInput.For(encoder));

        public override bool Return(Session obj) => true;
    }
}
