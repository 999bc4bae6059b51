package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/contractlint/contractlint/validate"
)

// The fixed parts of the SARIF log.
const (
	sarifSchema  = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
	sarifVersion = "2.1.0"
	toolName     = "contractlint"
	toolURI      = "https://github.com/contractlint/contractlint"
	modulePath   = "github.com/contractlint/contractlint"
	// srcRoot is the base of every relative artifact URI; code scanning
	// resolves it to the repository checkout.
	srcRoot = "%SRCROOT%"
	// fingerprintKey names contractlint's entry in partialFingerprints.
	fingerprintKey = "contractlint/v1"
)

// SARIF writes the report as a SARIF 2.1.0 log with one run, as GitHub code
// scanning and other SARIF viewers read it. The driver's rules are the rule
// registry (validate.Rules, then any code a finding uses that the registry
// lacks), each with its title, doc, help holding the bad and the good
// example, and default level. Each finding is a result with its rule, level
// (info is "note"), message, and one location: the file as a relative URI
// against %SRCROOT% (absolute paths become file: URIs) and the 1-based line
// and column, counted in code points (columnKind "unicodeCodePoints"). The
// result's properties hold pointer, operationId, apiVersion, direction, in,
// name, exchange and specRef; every file appears in artifacts; files that
// could not be read are also tool execution notifications, and the summary is
// the run's "summary" property.
//
// partialFingerprints["contractlint/v1"] identifies a result across runs: the
// SHA-256 (hex) of the file, code, direction, part, name, pointer, operationId
// and api-version, then ":" and the result's ordinal among the results with
// the same hash. Line, column, exchange index and message are left out, so
// edits elsewhere in the file and rewordings of a message keep the alert.
func SARIF(w io.Writer, r *Report) error {
	return writeSARIF(w, r, Version())
}

// writeSARIF is SARIF with the tool version given, so that tests do not
// depend on how the binary was built.
func writeSARIF(w io.Writer, r *Report, version string) error {
	n, err := normalize(r)
	if err != nil {
		return err
	}

	rules, ruleIndex := sarifRules(n.Findings)
	files := reportFiles(&n)
	artifacts := make([]sarifArtifact, len(files))
	fileIndex := make(map[string]int, len(files))
	for i, f := range files {
		fileIndex[f] = i
		artifacts[i] = sarifArtifact{Location: newArtifactLocation(f, -1)}
	}

	results := make([]sarifResult, len(n.Findings))
	seen := make(map[string]int, len(n.Findings))
	for i := range n.Findings {
		f := &n.Findings[i]
		hash := fingerprint(f)
		seen[hash]++
		msg := f.Message
		if msg == "" {
			msg = rules[ruleIndex[f.Code]].ShortDescription.Text
		}
		res := sarifResult{
			RuleID:    f.Code,
			RuleIndex: ruleIndex[f.Code],
			Level:     sarifLevel(f.Severity),
			Message:   sarifMessage{Text: msg},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{
				ArtifactLocation: newArtifactLocation(f.File, fileIndex[f.File]),
				Region:           &sarifRegion{StartLine: f.Line, StartColumn: f.Column},
			}}},
			PartialFingerprints: map[string]string{fingerprintKey: hash + ":" + strconv.Itoa(seen[hash])},
			Properties: sarifResultProperties{
				OperationID: f.OperationID,
				APIVersion:  f.APIVersion,
				Direction:   f.Direction,
				Part:        f.Part,
				Name:        f.Name,
				Exchange:    f.Exchange,
				SpecRef:     f.SpecRef,
			},
		}
		if f.Part == validate.PartBody || f.Pointer != "" {
			res.Properties.Pointer = &f.Pointer
		}
		results[i] = res
	}

	var notes []sarifNotification
	for _, fs := range n.Summary.PerFile {
		if fs.Error == "" {
			continue
		}
		notes = append(notes, sarifNotification{
			Level:     "error",
			Message:   sarifMessage{Text: fs.Path + ": " + fs.Error},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalLocation{ArtifactLocation: newArtifactLocation(fs.Path, fileIndex[fs.Path])}}},
		})
	}

	driver := sarifDriver{
		Name:           toolName,
		InformationURI: toolURI,
		Version:        version,
		Rules:          rules,
	}
	if v := strings.TrimPrefix(version, "v"); v != version {
		driver.SemanticVersion = v
	}
	log := sarifLog{
		Schema:  sarifSchema,
		Version: sarifVersion,
		Runs: []sarifRun{{
			Tool:        sarifTool{Driver: driver},
			Invocations: []sarifInvocation{{ExecutionSuccessful: true, ToolExecutionNotifications: notes}},
			Artifacts:   artifacts,
			Results:     results,
			ColumnKind:  "unicodeCodePoints",
			Properties:  sarifRunProperties{Summary: &n.Summary},
		}},
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(&log)
}

// sarifRules builds the driver's rules: the registry, then every code the
// findings use that it lacks, sorted; and each code's index among them.
func sarifRules(findings []FileFinding) ([]sarifRule, map[string]int) {
	registry := validate.Rules()
	rules := make([]sarifRule, 0, len(registry))
	index := make(map[string]int, len(registry))
	for _, r := range registry {
		index[r.Code] = len(rules)
		rules = append(rules, newSARIFRule(r))
	}
	var unknown []string
	for i := range findings {
		if c := findings[i].Code; !hasCode(index, c) {
			index[c] = -1
			unknown = append(unknown, c)
		}
	}
	sort.Strings(unknown)
	for _, c := range unknown {
		index[c] = len(rules)
		rules = append(rules, newSARIFRule(validate.Rule{Code: c, Severity: validate.Error, Title: c}))
	}
	return rules, index
}

// hasCode reports whether code already has a rule index.
func hasCode(index map[string]int, code string) bool {
	_, ok := index[code]
	return ok
}

// newSARIFRule describes one rule as a SARIF reporting descriptor.
func newSARIFRule(r validate.Rule) sarifRule {
	rule := sarifRule{
		ID:                   r.Code,
		Name:                 camelCase(r.Code),
		ShortDescription:     sarifMessage{Text: r.Title},
		DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
	}
	if r.Doc != "" {
		rule.FullDescription = &sarifMessage{Text: r.Doc}
	}
	if r.Doc != "" || r.Bad != "" || r.Good != "" {
		var text, md strings.Builder
		text.WriteString(r.Doc)
		md.WriteString(r.Doc)
		if r.Bad != "" {
			text.WriteString("\n\nBad: " + r.Bad)
			md.WriteString("\n\nBad:\n\n```\n" + r.Bad + "\n```")
		}
		if r.Good != "" {
			text.WriteString("\n\nGood: " + r.Good)
			md.WriteString("\n\nGood:\n\n```\n" + r.Good + "\n```")
		}
		rule.Help = &sarifHelp{Text: strings.TrimLeft(text.String(), "\n"), Markdown: strings.TrimLeft(md.String(), "\n")}
	}
	if r.Group != "" {
		rule.Properties = &sarifRuleProperties{Tags: []string{r.Group}}
	}
	return rule
}

// camelCase turns a code such as "ENUM_CASE_MISMATCH" into "EnumCaseMismatch".
func camelCase(code string) string {
	var b strings.Builder
	for _, word := range strings.FieldsFunc(code, func(r rune) bool { return r == '_' || r == '-' || r == ' ' }) {
		lower := strings.ToLower(word)
		b.WriteString(strings.ToUpper(lower[:1]) + lower[1:])
	}
	return b.String()
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s validate.Severity) string {
	switch s {
	case validate.Error:
		return "error"
	case validate.Warning:
		return "warning"
	}
	return "note"
}

// fingerprint hashes what identifies a finding independently of where the
// file's lines fall and how the message is worded.
func fingerprint(f *FileFinding) string {
	h := sha256.New()
	for _, s := range []string{f.File, f.Code, f.Direction.String(), f.Part.String(), f.Name, f.Pointer, f.OperationID, f.APIVersion} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// newArtifactLocation locates a file: a URI relative to %SRCROOT% for a
// relative path, a file: URI for an absolute one. index is the file's place
// in the run's artifacts, -1 to leave it out.
func newArtifactLocation(path string, index int) sarifArtifactLocation {
	for strings.HasPrefix(path, "./") {
		path = path[2:]
	}
	loc := sarifArtifactLocation{}
	if index >= 0 {
		loc.Index = &index
	}
	switch {
	case strings.HasPrefix(path, "/"):
		loc.URI = "file://" + escapeURIPath(path)
	case len(path) >= 3 && path[1] == ':' && path[2] == '/' && isASCIILetter(path[0]):
		loc.URI = "file:///" + path[:2] + escapeURIPath(path[2:])
	default:
		loc.URI = escapeURIPath(path)
		loc.URIBaseID = srcRoot
	}
	return loc
}

// escapeURIPath percent-encodes every byte of a slash-separated path but
// the unreserved characters of RFC 3986 and "/", so that non-ASCII names,
// spaces and colons survive as a URI reference.
func escapeURIPath(path string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if isASCIILetter(c) || (c >= '0' && c <= '9') || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

func isASCIILetter(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// The subset of the SARIF 2.1.0 object model that contractlint writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool          `json:"tool"`
		Invocations []sarifInvocation  `json:"invocations"`
		Artifacts   []sarifArtifact    `json:"artifacts"`
		Results     []sarifResult      `json:"results"`
		ColumnKind  string             `json:"columnKind"`
		Properties  sarifRunProperties `json:"properties"`
	}
	sarifRunProperties struct {
		Summary *Summary `json:"summary"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name            string      `json:"name"`
		InformationURI  string      `json:"informationUri"`
		Version         string      `json:"version,omitempty"`
		SemanticVersion string      `json:"semanticVersion,omitempty"`
		Rules           []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string               `json:"id"`
		Name                 string               `json:"name"`
		ShortDescription     sarifMessage         `json:"shortDescription"`
		FullDescription      *sarifMessage        `json:"fullDescription,omitempty"`
		Help                 *sarifHelp           `json:"help,omitempty"`
		DefaultConfiguration sarifRuleConfig      `json:"defaultConfiguration"`
		Properties           *sarifRuleProperties `json:"properties,omitempty"`
	}
	sarifHelp struct {
		Text     string `json:"text"`
		Markdown string `json:"markdown,omitempty"`
	}
	sarifRuleConfig struct {
		Level string `json:"level"`
	}
	sarifRuleProperties struct {
		Tags []string `json:"tags"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level     string          `json:"level"`
		Message   sarifMessage    `json:"message"`
		Locations []sarifLocation `json:"locations"`
	}
	sarifArtifact struct {
		Location sarifArtifactLocation `json:"location"`
	}
	sarifResult struct {
		RuleID              string                `json:"ruleId"`
		RuleIndex           int                   `json:"ruleIndex"`
		Level               string                `json:"level"`
		Message             sarifMessage          `json:"message"`
		Locations           []sarifLocation       `json:"locations"`
		PartialFingerprints map[string]string     `json:"partialFingerprints"`
		Properties          sarifResultProperties `json:"properties"`
	}
	sarifResultProperties struct {
		Pointer     *string            `json:"pointer,omitempty"`
		OperationID string             `json:"operationId,omitempty"`
		APIVersion  string             `json:"apiVersion,omitempty"`
		Direction   validate.Direction `json:"direction,omitempty"`
		Part        validate.Part      `json:"in,omitempty"`
		Name        string             `json:"name,omitempty"`
		Exchange    int                `json:"exchange,omitempty"`
		SpecRef     string             `json:"specRef,omitempty"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLocation `json:"artifactLocation"`
		Region           *sarifRegion          `json:"region,omitempty"`
	}
	sarifArtifactLocation struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
		Index     *int   `json:"index,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
	}
)
