using LeadScoring.Storage.Retraining;

namespace LeadScoring.Storage.Tests.Retraining;

/// <summary>The wire names of triggers and statuses, and which statuses are terminal or working.</summary>
public sealed class RetrainingNamesTests
{
    [Fact]
    public void Every_status_has_its_snake_case_wire_name_and_parses_back()
    {
        Assert.Equal(
            ["queued", "preparing_data", "searching", "training", "gating", "staged", "shadow", "canary", "awaiting_approval",
                "promoted", "insufficient_data", "gate_failed", "rolled_back", "rejected", "failed", "cancelled"],
            RetrainingNames.StatusNames);
        foreach (var status in Enum.GetValues<RetrainingStatus>())
        {
            Assert.True(RetrainingNames.TryParseStatus(RetrainingNames.Of(status), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.Equal(Enum.GetValues<RetrainingStatus>().Select(RetrainingNames.Of), RetrainingNames.StatusNames);
        Assert.False(RetrainingNames.TryParseStatus("Queued", out _));
        Assert.False(RetrainingNames.TryParseStatus("PreparingData", out _));
        Assert.False(RetrainingNames.TryParseStatus(null!, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrainingNames.Of((RetrainingStatus)16));
    }

    [Fact]
    public void Every_trigger_has_its_wire_name_and_parses_back()
    {
        Assert.Equal(["manual", "drift", "schedule"], Enum.GetValues<RetrainingTrigger>().Select(RetrainingNames.Of));
        foreach (var trigger in Enum.GetValues<RetrainingTrigger>())
        {
            Assert.True(RetrainingNames.TryParseTrigger(RetrainingNames.Of(trigger), out var parsed));
            Assert.Equal(trigger, parsed);
        }

        Assert.False(RetrainingNames.TryParseTrigger("cron", out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => RetrainingNames.Of((RetrainingTrigger)(-1)));
    }

    [Fact]
    public void Seven_statuses_are_terminal_four_are_working_and_none_is_both()
    {
        var terminal = Enum.GetValues<RetrainingStatus>().Where(RetrainingNames.IsTerminal);
        var working = Enum.GetValues<RetrainingStatus>().Where(RetrainingNames.IsWorking);

        Assert.Equal(
            [RetrainingStatus.Promoted, RetrainingStatus.InsufficientData, RetrainingStatus.GateFailed, RetrainingStatus.RolledBack,
                RetrainingStatus.Rejected, RetrainingStatus.Failed, RetrainingStatus.Cancelled],
            terminal);
        Assert.Equal([RetrainingStatus.PreparingData, RetrainingStatus.Searching, RetrainingStatus.Training, RetrainingStatus.Gating], working);
        Assert.Equal(terminal, RetrainingNames.TerminalStatuses);
        Assert.Equal(working, RetrainingNames.WorkingStatuses);
    }
}
