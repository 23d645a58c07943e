using System.Text.Json;
using ReportPoc.Tests.Infrastructure;

namespace ReportPoc.UnitTests.Api;

/// <summary>The scenario tests' schema check finds each kind of mismatch and refuses a keyword it would not check.</summary>
public sealed class JsonSchemaSubsetTests
{
    private static readonly JsonElement Document = JsonDocument.Parse("""
        {
          "components": { "schemas": {
            "Thing": {
              "type": "object",
              "required": ["id", "state"],
              "properties": {
                "id": { "type": "string", "format": "uuid" },
                "state": { "$ref": "#/components/schemas/State" },
                "count": { "type": "integer", "format": "int32" },
                "name": { "type": ["null", "string"], "maxLength": 3, "pattern": "^[a-z😀]*$" },
                "at": { "type": "string", "format": "date-time" },
                "tags": { "type": "array", "items": { "type": "string", "minLength": 1 } }
              },
              "additionalProperties": false
            },
            "State": { "enum": ["On", "Off"] },
            "Either": { "anyOf": [ { "type": "string" }, { "type": "integer" } ] },
            "Unknown": { "type": "string", "contentEncoding": "base64" }
          } }
        }
        """).RootElement;

    private const string Valid = """{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","count":3,"name":null,"at":"2026-12-03T18:49:32.1234567+00:00","tags":["a"]}""";

    [Fact]
    public void AConformingValuePasses()
    {
        Assert.Empty(Validate("Thing", Valid));
        Assert.Empty(Validate("Thing", """{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"Off","name":"😀😀😀","at":"2026-12-03T18:49:32Z"}"""));
        Assert.Empty(Validate("Either", "7"));
    }

    [Theory]
    [InlineData("""{"state":"On"}""", "required property 'id'")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"Maybe"}""", "is not one of")]
    [InlineData("""{"id":"not-a-uuid","state":"On"}""", "is not a uuid")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","extra":1}""", "property 'extra' is not declared")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","count":"3"}""", "is not of type integer")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","count":1.5}""", "is not of type integer")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","name":"abcd"}""", "longer than 3")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","name":"AB"}""", "does not match")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","at":"2026-12-03T18:49:32"}""", "is not a date-time")]
    [InlineData("""{"id":"0b6c8a3e-4c1e-4e0e-9a55-1f2d3c4b5a69","state":"On","tags":[""]}""", "$.tags[0]: shorter than 1")]
    public void EachKindOfMismatchIsFound(string instance, string expected)
    {
        var errors = Validate("Thing", instance);

        Assert.Contains(errors, error => error.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void AValueMatchingNoAnyOfOptionIsFound() =>
        Assert.Contains(Validate("Either", "true"), error => error.Contains("matches 0 of the anyOf", StringComparison.Ordinal));

    [Fact]
    public void AKeywordItDoesNotCheckIsRefusedNotPassed() =>
        Assert.Throws<NotSupportedException>(() => Validate("Unknown", "\"x\""));

    private static List<string> Validate(string schema, string instance) =>
        JsonSchemaSubset.Validate(Document, Document.GetProperty("components").GetProperty("schemas").GetProperty(schema), JsonDocument.Parse(instance).RootElement);
}
