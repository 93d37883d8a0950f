package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pace-dev/pace/config"
)

func (a *app) configCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Create or validate the configuration file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return usagef("config needs a subcommand: init or check (see 'pace config --help')")
		},
	}
	cmd.AddCommand(a.configInitCmd(), a.configCheckCmd())
	return cmd
}

func (a *app) configInitCmd() *cobra.Command {
	var force bool
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented example configuration to edit",
		Long: `init writes a commented example configuration (every key, with its default) to
the config path, mode 0600. It refuses to overwrite an existing file unless --force.`,
		Example: `  pace config init
  pace config init --config ./pace.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := a.resolveConfigPath()
			if err != nil {
				return usageErr(err)
			}
			if err := config.WriteExample(path, force); err != nil {
				return usageErr(err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "wrote %s\nedit it, then run: pace config check\n", path)
			return nil
		},
	}
	cmd.Flags().BoolVar(&force, "force", false, "overwrite an existing file")
	return cmd
}

func (a *app) configCheckCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "check",
		Short: "Validate the configuration file and list every problem with file:line",
		Example: `  pace config check
  pace config check --config ./pace.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			path, err := a.resolveConfigPath()
			if err != nil {
				return usageErr(err)
			}
			cfg, err := config.Load(path)
			if err != nil {
				return usageErr(err)
			}
			s := cfg.Settings()
			fmt.Fprintf(cmd.OutOrStdout(), "%s: ok (%d teams, %d GitHub repos, %d GitHub orgs, %d GitLab projects, %d GitLab groups, window %s)\n",
				path, len(s.Teams), len(cfg.GitHub.Repos), len(cfg.GitHub.Orgs), len(cfg.GitLab.Projects), len(cfg.GitLab.Groups), config.FormatDuration(s.Window))
			return nil
		},
	}
}
