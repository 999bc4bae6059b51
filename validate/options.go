package validate

// Option configures a Validator.
type Option func(*config)

type config struct {
	strictEnums bool
	maxBody     int
	maxDepth    int
	maxFindings int
	severity    map[string]Severity
	off         map[string]bool
}

// Defaults for the limits that protect a gateway.
const (
	DefaultMaxBodySize = 10 << 20 // bytes
	DefaultMaxDepth    = 128
	DefaultMaxFindings = 1000
)

func defaultConfig() config {
	return config{maxBody: DefaultMaxBodySize, maxDepth: DefaultMaxDepth, maxFindings: DefaultMaxFindings}
}

// WithStrictEnums makes a value outside an extensible enum
// (x-ms-enum modelAsString: true) an error instead of a warning.
func WithStrictEnums(strict bool) Option { return func(c *config) { c.strictEnums = strict } }

// WithMaxBodySize sets the largest body, in bytes, that is validated; a larger
// body is reported as BODY_TOO_LARGE and not parsed. Zero or less means no limit.
func WithMaxBodySize(n int) Option { return func(c *config) { c.maxBody = n } }

// WithMaxDepth sets how deeply arrays and objects may nest in a body; deeper
// content is reported once as MAX_DEPTH_EXCEEDED and only checked for syntax.
func WithMaxDepth(n int) Option {
	return func(c *config) {
		if n > 0 {
			c.maxDepth = n
		}
	}
}

// WithMaxFindings caps the findings of one exchange; past the cap a single
// TOO_MANY_FINDINGS finding is added. Zero or less means no cap.
func WithMaxFindings(n int) Option { return func(c *config) { c.maxFindings = n } }

// WithSeverity overrides the severity of every finding with the given code.
func WithSeverity(code string, s Severity) Option {
	return func(c *config) {
		if c.severity == nil {
			c.severity = map[string]Severity{}
		}
		c.severity[code] = s
	}
}

// WithRuleDisabled drops every finding with the given code.
func WithRuleDisabled(code string) Option {
	return func(c *config) {
		if c.off == nil {
			c.off = map[string]bool{}
		}
		c.off[code] = true
	}
}
