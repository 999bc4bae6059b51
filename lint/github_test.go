package lint

import (
	"strings"
	"testing"

	"github.com/contractlint/contractlint/validate"
)

func TestGitHubEscaping(t *testing.T) {
	tests := []struct {
		in, data, property string
	}{
		{"plain", "plain", "plain"},
		{"100%", "100%25", "100%25"},
		{"%0A literal", "%250A literal", "%250A literal"},
		{"a\nb\r\nc", "a%0Ab%0D%0Ac", "a%0Ab%0D%0Ac"},
		{"key: a, b", "key: a, b", "key%3A a%2C b"},
		{"::error file=x::injected", "::error file=x::injected", "%3A%3Aerror file=x%3A%3Ainjected"},
		{"x\n::error::injected", "x%0A::error::injected", "x%0A%3A%3Aerror%3A%3Ainjected"},
		{"größe <&> \"q\"", "größe <&> \"q\"", "größe <&> \"q\""},
	}
	for _, tt := range tests {
		if got := githubData(tt.in); got != tt.data {
			t.Errorf("githubData(%q) = %q, want %q", tt.in, got, tt.data)
		}
		if got := githubProperty(tt.in); got != tt.property {
			t.Errorf("githubProperty(%q) = %q, want %q", tt.in, got, tt.property)
		}
	}
}

func TestGitHubCommands(t *testing.T) {
	finding := func(s validate.Severity, file, msg string) FileFinding {
		return FileFinding{
			Finding: validate.Finding{Code: validate.CodePattern, Severity: s, Message: msg},
			File:    file, Line: 4, Column: 9,
		}
	}
	tests := []struct {
		name string
		f    FileFinding
		want string
	}{
		{"error", finding(validate.Error, "a.json", "bad"), "::error file=a.json,line=4,col=9,title=PATTERN::bad"},
		{"warning", finding(validate.Warning, "a.json", "bad"), "::warning file=a.json,line=4,col=9,title=PATTERN::bad"},
		{"info", finding(validate.Info, "a.json", "bad"), "::notice file=a.json,line=4,col=9,title=PATTERN::bad"},
		{
			"hostile", finding(validate.Error, "d:ir/a,b%.json", "x\r\n::error::y, z: 100%"),
			"::error file=d%3Air/a%2Cb%25.json,line=4,col=9,title=PATTERN::x%0D%0A::error::y, z: 100%25",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := string(render(t, GitHub, &Report{Findings: []FileFinding{tt.f}}))
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != 2 {
				t.Fatalf("%d lines, want the command and the summary:\n%s", len(lines), out)
			}
			if lines[0] != tt.want {
				t.Errorf("got  %q\nwant %q", lines[0], tt.want)
			}
			if strings.HasPrefix(lines[1], "::") {
				t.Errorf("summary line %q reads as a command", lines[1])
			}
		})
	}
}

func TestGitHubOneCommandPerFinding(t *testing.T) {
	r := formatReport()
	lines := strings.Split(strings.TrimSuffix(string(render(t, GitHub, r)), "\n"), "\n")
	commands := 0
	for _, l := range lines {
		if strings.HasPrefix(l, "::") {
			commands++
		}
	}
	if commands != len(r.Findings) || len(lines) != len(r.Findings)+1 {
		t.Errorf("%d lines with %d commands, want %d commands and a summary line", len(lines), commands, len(r.Findings))
	}
}
