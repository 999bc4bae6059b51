package validate

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/contractlint/contractlint/spec"
)

func codesOf(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Code+" "+f.Pointer+f.Name)
	}
	return out
}

func TestAllFindingsInOnePass(t *testing.T) {
	v := embeddedValidator(t)
	res := v.Validate(&Exchange{
		Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"s1","tier":"x"},"properties":{"allocationPolicy":"Hash","ipFilterRules":[{"filterName":"a","action":"Allow"}],"colour":1},"type":"t"}`),
	})
	want := []string{
		"ENUM_CASE_MISMATCH /sku/name",
		"READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST /sku/tiertier",
		"ENUM_MISMATCH /properties/allocationPolicy",
		"ENUM_MISMATCH /properties/ipFilterRules/0/action",
		"OBJECT_MISSING_REQUIRED_PROPERTY /properties/ipFilterRules/0ipMask",
		"OBJECT_ADDITIONAL_PROPERTIES /properties/colourcolour",
		"READONLY_PROPERTY_NOT_ALLOWED_IN_REQUEST /typetype",
	}
	got := codesOf(res.Findings)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if res.OperationID != "IotDpsResource_CreateOrUpdate" || res.APIVersion != "2022-12-12" {
		t.Errorf("operation = %s %s", res.OperationID, res.APIVersion)
	}
}

func TestCascadeSuppressed(t *testing.T) {
	v := embeddedValidator(t)
	// properties is an array instead of an object: one INVALID_TYPE, nothing
	// about the (undeclared, wrongly typed) things inside it.
	res := v.Validate(&Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":[{"allocationPolicy":7,"bogus":true}]}`)})
	got := codesOf(res.Findings)
	if len(got) != 1 || got[0] != "INVALID_TYPE /properties" {
		t.Errorf("findings = %q, want only INVALID_TYPE /properties", got)
	}
}

func TestVersionsGetTheirOwnVerdict(t *testing.T) {
	v := embeddedValidator(t)
	body := `{"properties":{"certificate":"MA==","isVerified":true}}`
	r22 := v.Validate(&Exchange{Request: req("PUT", dpsCert22, body)})
	if len(r22.Findings) != 0 {
		t.Errorf("2022-12-12 certificate PUT: %q", codesOf(r22.Findings))
	}
	r18 := v.Validate(&Exchange{Request: req("PUT", strings.Replace(dpsCert22, "2022-12-12", "2018-01-22", 1), body)})
	if got := codesOf(r18.Findings); len(got) != 1 || got[0] != "OBJECT_ADDITIONAL_PROPERTIES /propertiesproperties" {
		t.Errorf("2018-01-22 certificate PUT: %q", got)
	}
	// isVerified is read-only in 2018 responses' schema but writable in 2022.
	ro := v.Validate(&Exchange{Request: req("POST", strings.Replace(strings.Replace(dpsCert22, "2022-12-12", "2018-01-22", 1), "cert1?", "cert1/verify?", 1), `{"certificate":"MA=="}`, "If-Match", "*")})
	if len(ro.Findings) != 0 {
		t.Errorf("2018 verify: %q", codesOf(ro.Findings))
	}
}

func TestPointerEscaping(t *testing.T) {
	v := widgetsValidator(t)
	res := v.Validate(&Exchange{Request: req("PUT", widget, `{"label":"ab","labels":{"a/b~c":1},"x\u002fy":2}`)})
	got := codesOf(res.Findings)
	want := []string{"INVALID_TYPE /labels/a~1b~0c", "OBJECT_ADDITIONAL_PROPERTIES /x~1yx/y"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("findings = %q, want %q", got, want)
	}
}

func TestOffsetsPointAtTheValue(t *testing.T) {
	v := embeddedValidator(t)
	body := `{"properties":{"certificate":"####"}}`
	res := v.Validate(&Exchange{Request: req("PUT", dpsCert22, body)})
	if len(res.Findings) != 1 {
		t.Fatalf("findings = %q", codesOf(res.Findings))
	}
	if off := res.Findings[0].Offset; body[off:off+6] != `"####"` {
		t.Errorf("offset %d points at %q", off, body[off:])
	}
	bad := `{"properties":{"certificate":"MA=="},}`
	res = v.Validate(&Exchange{Request: req("PUT", dpsCert22, bad)})
	if len(res.Findings) != 1 || res.Findings[0].Code != CodeInvalidJSON || res.Findings[0].Offset != len(bad)-1 {
		t.Errorf("invalid JSON finding = %+v", res.Findings)
	}
}

func TestInvalidJSONDropsHalfReadFindings(t *testing.T) {
	v := embeddedValidator(t)
	res := v.Validate(&Exchange{Request: req("PUT", dpsCert22, `{"properties":{"colour":1,"certificate":"MA==`)})
	if got := codesOf(res.Findings); len(got) != 1 || !strings.HasPrefix(got[0], CodeInvalidJSON) {
		t.Errorf("findings = %q, want one INVALID_JSON", got)
	}
}

// secretValues must never appear in any finding, whatever is wrong with them.
func TestSecretsNeverLeak(t *testing.T) {
	const secret = "S3cr3tV4lue"
	cases := []struct {
		widgets bool
		ex      Exchange
	}{
		{false, Exchange{Request: req("PUT", dpsPut22, `{"location":"eastus","sku":{"name":"S1"},"properties":{"authorizationPolicies":[{"keyName":"k","rights":"ServiceConfig","primaryKey":{"v":"`+secret+`"},"secondaryKey":"`+secret+`"}],"iotHubs":[{"connectionString":["`+secret+`"],"location":"eastus"}]}}`)}},
		{false, Exchange{Request: req("PUT", apimCert, `{"properties":{"password":7,"data":"x"}}`)}},
		{true, Exchange{Request: req("PUT", widget, `{"label":"ab","password":"`+secret+`","apiKey":"`+secret+`","labels":{"password":"`+secret+`"}}`)}},
		{true, Exchange{Request: req("GET", widget, ""), Response: resp(200, `{"label":"ab","apiKey":"`+secret+`","password":"`+secret+`"}`)}},
	}
	for i, tc := range cases {
		var v *Validator
		if tc.widgets {
			v = widgetsValidator(t)
		} else {
			v = embeddedValidator(t)
		}
		res := v.Validate(&tc.ex)
		for _, f := range res.Findings {
			if strings.Contains(fmt.Sprintf("%+v", f), secret) {
				t.Errorf("case %d: secret leaked in %+v", i, f)
			}
		}
	}
	// A secret with a broken format: the finding is made, the value hidden.
	v := widgetsValidator(t)
	res := v.Validate(&Exchange{Request: req("PUT", widget, `{"label":"`+secret+`x"}`)})
	if len(res.Findings) == 0 {
		t.Fatal("expected a MAX_LENGTH finding for label")
	}
}

func TestConcurrentUse(t *testing.T) {
	v := embeddedValidator(t)
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				body := `{"properties":{"certificate":"MA==","isVerified":"yes"}}`
				if (g+i)%2 == 0 {
					body = `{"properties":{"certificate":"MA=="}}`
				}
				res := v.Validate(&Exchange{Request: req("PUT", dpsCert22, body), Response: resp(200, `{"id":"x","properties":{}}`)})
				want := 0
				if (g+i)%2 != 0 {
					want = 1
				}
				if len(res.Findings) != want {
					t.Errorf("goroutine %d iteration %d: %q", g, i, codesOf(res.Findings))
					return
				}
			}
		}(g)
	}
	wg.Wait()
}

func TestRuleRegistry(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.Code] {
			t.Errorf("duplicate rule %s", r.Code)
		}
		seen[r.Code] = true
		if r.Severity < Info || r.Severity > Error {
			t.Errorf("%s: invalid severity", r.Code)
		}
		if r.Title == "" || r.Doc == "" || r.Bad == "" || r.Good == "" || r.Group == "" {
			t.Errorf("%s: incomplete documentation", r.Code)
		}
		if _, ok := LookupRule(r.Code); !ok {
			t.Errorf("%s: LookupRule fails", r.Code)
		}
	}
	if len(seen) != len(rules) {
		t.Errorf("Rules() returned %d rules, registry has %d", len(seen), len(rules))
	}
}

func TestSeverityOverrideAndDisable(t *testing.T) {
	v := embeddedValidator(t, WithSeverity(CodeAPIVersionUnsupported, Warning), WithRuleDisabled(CodeAdditionalProperties))
	res := v.Validate(&Exchange{Request: req("GET", dpsBase+"?api-version=2020-03-01", "")})
	if len(res.Findings) != 1 || res.Findings[0].Severity != Warning {
		t.Errorf("override: %+v", res.Findings)
	}
	res = v.Validate(&Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","colour":1}}`)})
	if len(res.Findings) != 0 {
		t.Errorf("disabled rule still reported: %+v", res.Findings)
	}
}

func TestDeepNestingDoesNotCrash(t *testing.T) {
	v := embeddedValidator(t)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	res := v.Validate(&Exchange{Request: req("PUT", dpsCert22, `{"properties":{"certificate":"MA==","x":`+deep+`}}`)})
	got := codesOf(res.Findings)
	if len(got) != 2 || got[0] != "OBJECT_ADDITIONAL_PROPERTIES /properties/xx" || !strings.HasPrefix(got[1], CodeMaxDepth+" /properties/x/0/0") {
		t.Errorf("findings = %q", got)
	}
	res = v.Validate(&Exchange{Request: req("PUT", dpsCert22, strings.Repeat(`{"a":`, 100000))})
	if len(res.Findings) == 0 || res.Findings[len(res.Findings)-1].Code != CodeInvalidJSON {
		t.Errorf("truncated deep body: %q", codesOf(res.Findings))
	}
}

func TestSecretParameterValuesNeverShown(t *testing.T) {
	n := &node{minLen: -1, maxLen: 4, minItems: -1, maxItems: -1, idProp: -1, types: tString}
	v := embeddedValidator(t)
	em := emitter{v: v}
	cp := compiledParam{p: &spec.Parameter{Name: "accessKey", In: "query"}, node: n, secret: credentialName("accessKey")}
	co := &compiledOp{op: &spec.Operation{}, params: []compiledParam{cp}}
	v.checkParams(&em, co, req("GET", "/x?accessKey=S3cr3tV4lue", ""), nil)
	if len(em.findings) != 1 || em.findings[0].Code != CodeMaxLength {
		t.Fatalf("findings %+v", em.findings)
	}
	if strings.Contains(em.findings[0].Message, "S3cr3t") {
		t.Errorf("secret parameter value shown: %s", em.findings[0].Message)
	}
}
