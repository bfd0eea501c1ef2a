using Pipeline.Csv;

namespace Pipeline.Tests.Csv;

public sealed class CsvConditionTests
{
    [Theory]
    [InlineData("amount>500", "501", true)]
    [InlineData("amount>500", "500", false)]
    [InlineData("amount>500", "1e3", true)]
    [InlineData("amount>500", "99", false)]        // as numbers; as strings "99" > "500"
    [InlineData("amount>=500", "500.0", true)]
    [InlineData("amount<10", "9.99", true)]
    [InlineData("amount<=-1", "-1", true)]
    [InlineData("amount=5", "5.00", true)]
    [InlineData("amount!=5", "5.00", false)]
    [InlineData("amount>500", "", false)]          // missing: "" vs "500" compared as strings
    [InlineData("amount<500", "", true)]
    [InlineData("amount>500", "n/a", true)]         // not a number: ordinal "n/a" > "500"
    [InlineData("city=Paris", "Paris", true)]
    [InlineData("city=Paris", "paris", false)]      // ordinal: case matters
    [InlineData("city>M", "Zürich", true)]
    [InlineData("city<M", "Berlin", true)]
    [InlineData("city~^Z.*ch$", "Zürich", true)]
    [InlineData("city~ber", "Berlin", false)]
    [InlineData("name = Ann Lee ", "Ann Lee", true)]
    [InlineData("code=", "", true)]
    public void IsMetBy_Field_FollowsNumberThenOrdinalRules(string expression, string field, bool expected)
    {
        var sut = CsvCondition.Parse(expression);

        Assert.Equal(expected, sut.IsMetBy(field));
    }

    [Theory]
    [InlineData("a>=1", "a", CsvOperator.GreaterOrEqual, "1")]
    [InlineData("a!=b=c", "a", CsvOperator.NotEqual, "b=c")]
    [InlineData("url~a=b", "url", CsvOperator.Matches, "a=b")]
    public void Parse_Expression_SplitsAtTheFirstOperator(string expression, string column, CsvOperator op, string value)
    {
        var sut = CsvCondition.Parse(expression);

        Assert.Equal((column, op, value), (sut.Column, sut.Operator, sut.Value));
    }

    [Theory]
    [InlineData("amount")]
    [InlineData(">5")]
    [InlineData("a~(")]
    public void Parse_Malformed_ThrowsFormatExceptionNamingTheExpression(string expression)
    {
        var error = Assert.Throws<FormatException>(() => CsvCondition.Parse(expression));

        Assert.Contains($"'{expression}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("price >> 3", "'price >> 3' is not a condition: '>>' is not an operator; OP is one of = != > >= < <= ~")]
    [InlineData("a==b", "'a==b' is not a condition: '==' is not an operator (did you mean '='?); OP is one of = != > >= < <= ~")]
    [InlineData("a=<1", "'a=<1' is not a condition: '=<' is not an operator (did you mean '<='?); OP is one of = != > >= < <= ~")]
    [InlineData("a >=> 1", "'a >=> 1' is not a condition: '>=>' is not an operator; OP is one of = != > >= < <= ~")]
    [InlineData("price !~ x", "'price !~ x' is not a condition: '!~' is not an operator; OP is one of = != > >= < <= ~")]
    [InlineData("price <~ x", "'price <~ x' is not a condition: '<~' is not an operator; OP is one of = != > >= < <= ~")]
    [InlineData("price ~= x", "'price ~= x' is not a condition: '~=' is not an operator (did you mean '~'? a pattern that starts with '=' is written '\\='); OP is one of = != > >= < <= ~")]
    public void Parse_MistypedOperator_ThrowsNamingWhatWasTyped(string expression, string message)
    {
        var error = Assert.Throws<FormatException>(() => CsvCondition.Parse(expression));

        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData("price>abc", true)]
    [InlineData("price<=", true)]
    [InlineData("price>3", false)]
    [InlineData("price=abc", false)]
    [InlineData("price~abc", false)]
    public void OrdersByText_Condition_TrueForAnOrderingWithANonNumber(string expression, bool expected)
    {
        Assert.Equal(expected, CsvCondition.Parse(expression).OrdersByText);
    }
}
