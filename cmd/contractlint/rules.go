package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/contractlint/contractlint/validate"
	"github.com/urfave/cli/v2"
)

func rulesCommand() *cli.Command {
	return &cli.Command{
		Name:      "rules",
		Usage:     "list every finding code with its severity and documentation",
		ArgsUsage: "[CODE...]",
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Value: "text", Usage: "output `FORMAT`: text or json"},
		},
		Action: func(c *cli.Context) error {
			rules := validate.Rules()
			if c.NArg() > 0 {
				var picked []validate.Rule
				for _, code := range c.Args().Slice() {
					r, ok := validate.LookupRule(strings.ToUpper(code))
					if !ok {
						return usagef("unknown code %q", code)
					}
					picked = append(picked, r)
				}
				rules = picked
			}
			w := c.App.Writer
			switch c.String("format") {
			case "json":
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(rules)
			case "text":
			default:
				return usagef("--format %q: want text or json", c.String("format"))
			}
			if c.NArg() > 0 {
				for i, r := range rules {
					if i > 0 {
						fmt.Fprintln(w)
					}
					fmt.Fprintf(w, "%s (%s, %s)\n  %s\n  %s\n  bad:  %s\n  good: %s\n", r.Code, r.Severity, r.Group, r.Title, r.Doc, r.Bad, r.Good)
				}
				return nil
			}
			tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
			fmt.Fprintln(tw, "CODE\tSEVERITY\tGROUP\tDESCRIPTION")
			for _, r := range rules {
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Code, r.Severity, r.Group, r.Title)
			}
			return tw.Flush()
		},
	}
}
