package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/contractlint/contractlint/spec"
	"github.com/urfave/cli/v2"
)

func specsCommand() *cli.Command {
	return &cli.Command{
		Name:  "specs",
		Usage: "list the embedded contracts (or, with --operations, every operation)",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "operations", Usage: "print one line per operation: api-version, method, operationId, path template"},
		},
		Action: func(c *cli.Context) error {
			if c.NArg() > 0 {
				return usagef("specs takes no arguments")
			}
			reg, err := spec.Embedded()
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
			if c.Bool("operations") {
				for _, ct := range reg.Contracts() {
					for _, op := range ct.Operations {
						fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", ct.APIVersion, op.Method, op.ID, op.Path)
					}
				}
				return w.Flush()
			}
			fmt.Fprintf(w, "PROVIDER\tAPI-VERSION\tOPERATIONS\tCONTRACT\n")
			for _, ct := range reg.Contracts() {
				fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", ct.Provider, ct.APIVersion, len(ct.Operations), ct.Source)
			}
			return w.Flush()
		},
	}
}
