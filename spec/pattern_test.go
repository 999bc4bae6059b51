package spec

import "testing"

func TestPatternECMA(t *testing.T) {
	const dpsName = `^(?![0-9]+$)(?!-)[a-zA-Z0-9-]{2,49}[a-zA-Z0-9]$`
	const apimService = `^[a-zA-Z](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?$`
	const apimCert = `^[^*#&+:<>?]+$`
	tests := []struct {
		pattern string
		value   string
		want    bool
	}{
		{dpsName, "abc-1", true},
		{dpsName, "123", false},
		{dpsName, "-abc", false},
		{dpsName, "abc-", false},
		{dpsName, "ab", false},
		{dpsName, "a1b", true},
		{dpsName, "12a", true},
		{dpsName, "a" + string(make([]byte, 0)) + "bcdefghijabcdefghijabcdefghijabcdefghijabcdefghij", true},
		{dpsName, "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijX", false},
		{apimService, "apimService1", true},
		{apimService, "1apim", false},
		{apimService, "apim-", false},
		{apimCert, "tempcert", true},
		{apimCert, "temp#cert", false},
		{`\sx`, "\u00a0x", true}, // ECMA \s includes NBSP
	}
	for _, tc := range tests {
		p, err := CompilePattern(tc.pattern)
		if err != nil {
			t.Fatalf("CompilePattern(%q): %v", tc.pattern, err)
		}
		if got := p.MatchString(tc.value); got != tc.want {
			t.Errorf("%q.MatchString(%q) = %v, want %v", tc.pattern, tc.value, got, tc.want)
		}
	}
}

func TestPatternEngineChoice(t *testing.T) {
	p, err := CompilePattern(`^[a-z]+$`)
	if err != nil || p.re == nil {
		t.Fatalf("plain pattern should use RE2: %v", err)
	}
	p, err = CompilePattern(`^(?!-)[a-z-]+$`)
	if err != nil || p.ecma == nil {
		t.Fatalf("lookahead pattern should use the ECMA engine: %v", err)
	}
	if _, err := CompilePattern(`([`); err == nil {
		t.Fatal("broken pattern compiled")
	}
}
