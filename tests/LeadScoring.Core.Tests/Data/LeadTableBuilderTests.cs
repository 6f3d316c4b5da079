using LeadScoring.Core.Data;
using LeadScoring.Core.Schema;
using LeadScoring.Core.Tests.Support;

namespace LeadScoring.Core.Tests.Data;

public sealed class LeadTableBuilderTests
{
    private static readonly LeadSchema Schema = SchemaJson.Parse("""
        {
          "name": "t", "id": "id", "label": "won", "positive": ["yes"],
          "features": [
            { "name": "visits", "type": "numeric" },
            { "name": "source", "type": "categorical" },
            { "name": "opted_out", "type": "boolean" }
          ],
          "exclude": [ { "name": "notes", "reason": "free text written by sales" } ]
        }
        """);

    private static readonly string[] Header = ["id", "visits", "source", "opted_out", "notes", "won"];

    [Fact]
    public void Values_are_parsed_by_type_and_placeholders_become_missing()
    {
        var table = Rows.Table(Schema, Header, [
            ["a", "3", "Google", "Yes", "x", "yes"],
            ["b", "", "Select", "no", "", "no"],
            ["c", " 2.5 ", "google", "", "", "YES"],
        ]);

        Assert.Equal(3, table.Count);
        Assert.Equal(["a", "b", "c"], table.Ids!.AsEnumerable());
        Assert.Equal([true, false, true], table.Labels!);
        var visits = Assert.IsType<NumericColumn>(table.Columns[0]).Values;
        Assert.Equal(3, visits[0]);
        Assert.True(double.IsNaN(visits[1]));
        Assert.Equal(2.5, visits[2]);
        var source = Assert.IsType<CategoricalColumn>(table.Columns[1]).Values;
        Assert.Null(source[1]);
        // Case variants share the first-seen spelling.
        Assert.Same(source[0], source[2]);
        var optedOut = Assert.IsType<NumericColumn>(table.Columns[2]).Values;
        Assert.Equal(1, optedOut[0]);
        Assert.Equal(0, optedOut[1]);
        Assert.True(double.IsNaN(optedOut[2]));
    }

    [Fact]
    public void A_missing_column_is_named_with_its_role()
    {
        var error = Assert.Throws<LeadDataException>(() => new LeadTableBuilder(Schema, ["id", "visits", "opted_out", "won"], LabelUse.Required));

        Assert.Contains("column 'source'", error.Message, StringComparison.Ordinal);
        Assert.Contains("categorical feature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_header_that_differs_only_in_case_gets_a_suggestion()
    {
        var error = Assert.Throws<LeadDataException>(() => new LeadTableBuilder(Schema, ["id", "Visits", "source", "opted_out", "won"], LabelUse.Required));

        Assert.Contains("did you mean 'Visits'?", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("lots", "row 2, column 'visits': value 'lots' is not a finite number")]
    [InlineData("Infinity", "row 2, column 'visits': value 'Infinity' is not a finite number")]
    [InlineData("NaN", "row 2, column 'visits': value 'NaN' is not a finite number")]
    public void A_non_numeric_value_names_the_row_and_column(string raw, string expected)
    {
        var error = Assert.Throws<LeadDataException>(() => Rows.Table(Schema, Header, [
            ["a", "1", "x", "no", "", "yes"],
            ["b", raw, "x", "no", "", "no"],
        ]));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_bad_boolean_names_the_row_and_column()
    {
        var error = Assert.Throws<LeadDataException>(() => Rows.Table(Schema, Header, [["a", "1", "x", "maybe", "", "yes"]]));

        Assert.StartsWith("row 1, column 'opted_out': value 'maybe' is not a boolean", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_third_label_value_is_not_binary()
    {
        var error = Assert.Throws<LeadDataException>(() => Rows.Table(Schema, Header, [
            ["a", "1", "x", "no", "", "yes"],
            ["b", "1", "x", "no", "", "no"],
            ["c", "1", "x", "no", "", "pending"],
        ]));

        Assert.Contains("column 'won' (the label) is not binary: row 3 has 'pending' besides 'no'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_label_names_the_row()
    {
        var error = Assert.Throws<LeadDataException>(() => Rows.Table(Schema, Header, [["a", "1", "x", "no", "", ""]]));

        Assert.StartsWith("row 1, column 'won'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_explicit_negative_list_rejects_other_values()
    {
        var schema = SchemaJson.Parse("""{"name": "t", "label": "won", "positive": ["1"], "negative": ["0"], "features": [{"name": "visits", "type": "numeric"}]}""");

        var error = Assert.Throws<LeadDataException>(() => Rows.Table(schema, ["visits", "won"], [["1", "1"], ["2", "2"]]));

        Assert.StartsWith("row 2, column 'won': value '2' is neither a positive (1) nor a negative (0)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Training_data_with_one_outcome_is_rejected()
    {
        var error = Assert.Throws<LeadDataException>(() => Rows.Table(Schema, Header, [
            ["a", "1", "x", "no", "", "no"],
            ["b", "2", "x", "no", "", "no"],
        ]));

        Assert.Contains("only one outcome (not converted)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Scoring_input_needs_no_label_column()
    {
        var table = Rows.Table(Schema, ["id", "visits", "source", "opted_out"], [["a", "1", "x", "no"]], LabelUse.Ignored);

        Assert.Null(table.Labels);
        Assert.Equal(1, table.Count);
    }

    [Fact]
    public void Selecting_rows_keeps_every_column_aligned()
    {
        var table = Rows.Table(Schema, Header, [
            ["a", "1", "x", "no", "", "yes"],
            ["b", "2", "y", "yes", "", "no"],
            ["c", "3", "z", "no", "", "yes"],
        ]);

        var picked = table.Select([2, 0]);

        Assert.Equal(["c", "a"], picked.Ids!.AsEnumerable());
        Assert.Equal([3.0, 1.0], ((NumericColumn)picked.Columns[0]).Values);
        Assert.Equal(["z", "x"], ((CategoricalColumn)picked.Columns[1]).Values.AsEnumerable());
        Assert.Equal([true, true], picked.Labels!);
    }
}
