package demo

import (
	"math"
	"time"

	"github.com/pace-dev/pace/domain"
)

// baseTeams is the demo organisation at scale 1: a research-heavy ML team,
// a fast platform team and two mixed product teams. Their timings differ
// and drift over the weeks so that the trends move; Forecasting's pickup
// degrades over the last three weeks (two reviewers out) and breaches the
// global pickup guardrail, the others pass theirs.
func baseTeams() []teamSpec {
	return []teamSpec{fraudML(), platform(), searchRanking(), forecasting()}
}

func fraudML() teamSpec {
	feature, fix, chore := engineering([]string{"the scoring API", "the feature-store client",
		"the label backfill job", "model registry sync", "shadow scoring", "chargeback ingestion",
		"the rules engine bridge", "the risk score cache", "training data export", "the inference batcher",
		"the case review queue", "the model monitoring job", "the merchant profile loader", "the alerting webhook"})
	return teamSpec{
		name: "Fraud ML",
		people: []person{
			{login: "priya.raman", research: 0.5, weight: 0.6},
			{login: "mchen", gitlab: "marcus.chen", research: 0.7, weight: 1},
			{login: "sofia-alvarez", research: 0.8, weight: 1},
			{login: "tokafor", research: 0.2, weight: 1.2},
			{login: "lnovak", research: 0.6, weight: 1},
			{login: "dkim", research: 0.4, weight: 0.4},
		},
		outsiders: []person{{login: "ahmed-sec", weight: 1}},
		repos: []repoSpec{
			{source: domain.GitHub, path: "acme/fraud-model", base: "main", share: 0.55, firstNumber: 1840,
				deploy: envDeploys, staging: "stag", production: "prod", exact: true, perWeek: 3,
				bots: []string{"dependabot[bot]"}},
			{source: domain.GitHub, path: "acme/fraud-notebooks", base: "main", share: 0.15, firstNumber: 310,
				deploy: noDeploys},
			{source: domain.GitLab, path: "acme/ml/feature-store", base: "main", share: 0.30, firstNumber: 520,
				deploy: envDeploys, staging: "gke-staging", production: "gke-prod", tiered: true, exact: true,
				perWeek: 2, bots: []string{"renovate-bot"}},
		},
		target:         domain.Split{Research: 60, Engineering: 40},
		changesPerWeek: 18,
		researchShare:  0.5,
		timing:         timing{coding: 14, pickup: 4, review: 9},
		trend: func(age float64) (float64, float64) {
			f := 0.75 + 0.6*(1-age/14) // slower lately: bigger models, longer reviews
			return f, f
		},
		unreviewed:  0.03,
		experiments: 22,
		expRepos:    []int{0, 0, 2},
		expGap:      6 * time.Hour,
		stories: []expStory{
			{repo: 0, slug: "graph-features-v2", title: "Graph features from the merchant-device graph",
				firstAgo: 9*day + 4*time.Hour, lastAgo: 7*day + 20*time.Hour, runs: 4,
				fate: abandonedClose, decideAgo: 6*day + 22*time.Hour},
			{repo: 0, slug: "focal-loss-imbalance", title: "Focal loss for the extreme class imbalance",
				firstAgo: 12 * day, lastAgo: 4 * day, runs: 9, fate: adopted, decideAgo: 2*day + 5*time.Hour},
			{repo: 0, slug: "gnn-pretraining-large", title: "Self-supervised GNN pretraining on 90 days of transactions",
				firstAgo: 6 * day, lastAgo: 31*time.Hour + 10*time.Minute, runs: 5, last: lastZombie},
			{repo: 2, slug: "tabtransformer-baseline", title: "TabTransformer baseline for card-not-present fraud",
				firstAgo: 24 * day, lastAgo: 16 * day, runs: 3},
			{repo: 0, slug: "temperature-scaling", title: "Calibrate risk scores with temperature scaling",
				firstAgo: 20 * time.Hour, lastAgo: time.Hour + 40*time.Minute, runs: 6, last: lastRunning},
			{repo: 2, slug: "merchant-embedding-pca", title: "PCA-compressed merchant embeddings",
				firstAgo: 2*day + 3*time.Hour, lastAgo: 2*day + 3*time.Hour, runs: 1},
		},
		failures: []failStory{{repo: 0, ago: 5*day + 3*time.Hour, recoverAfter: 3*time.Hour + 20*time.Minute, revert: true}},
		waiting:  []time.Duration{3*day + 4*time.Hour},
		guardrails: []domain.Guardrail{
			guardrail("cycle_time.p50", domain.LE, 96*3600, "96h"),
			guardrail("pickup.p75", domain.LE, 16*3600, "16h"),
			guardrail("deploys_per_week", domain.GE, 1, "1"),
		},
		vocab: vocab{
			research: []group{{
				templates: []string{"Add drift monitor for %s", "Evaluate %s on last quarter's chargebacks",
					"Add SHAP explanations for %s", "Backtest %s against the rules engine",
					"Ablate %s in the GBM", "Compare %s across merchant segments",
					"Spike: recalibrate %s", "Measure label delay impact on %s",
					"Check %s for leakage from future labels", "Estimate precision at 1% FPR with %s",
					"Retrain with %s on the last 180 days", "Shadow-score %s against production"},
				nouns: []string{"transaction embeddings", "device fingerprint features", "merchant risk scores",
					"velocity features", "graph features", "the card-not-present model",
					"account takeover signals", "3DS outcome features", "IP reputation features",
					"the chargeback model", "BIN-level aggregates", "session behaviour features"},
			}},
			feature: []group{feature},
			fix:     []group{fix},
			chore:   []group{chore},
			deps: []dep{{"xgboost", 2, 0, 3}, {"torch", 2, 3, 1}, {"pandas", 2, 2, 2}, {"grpc", 1, 63, 0},
				{"scikit-learn", 1, 4, 2}, {"pyarrow", 16, 1, 0}},
			topics: []topic{
				{"lightgbm-dart", "LightGBM with DART boosting"}, {"smote-oversampling", "SMOTE oversampling for rare fraud types"},
				{"velocity-windows-5m", "Five-minute velocity windows"}, {"label-smoothing", "Label smoothing for noisy chargebacks"},
				{"device-graph-degree", "Device graph degree features"}, {"isolation-forest-prefilter", "Isolation forest pre-filter"},
				{"catboost-categoricals", "CatBoost on raw categorical features"}, {"merchant-mcc-embeddings", "Learned MCC embeddings"},
				{"time-decay-weights", "Time-decayed sample weights"}, {"ato-sequence-model", "Sequence model for account takeover"},
				{"ip-asn-features", "IP ASN reputation features"}, {"amount-binning", "Quantile binning of transaction amounts"},
				{"threshold-per-segment", "Per-segment decision thresholds"}, {"contrastive-pretrain", "Contrastive pretraining of card embeddings"},
				{"feature-pruning-shap", "Prune features by SHAP importance"}, {"delayed-label-correction", "Correct for delayed chargeback labels"},
				{"merchant-target-encoding", "Target encoding of merchant IDs"}, {"two-stage-cascade", "Two-stage cascade: cheap model first"},
				{"hard-negative-mining", "Hard negative mining from declined transactions"}, {"card-bin-hierarchy", "BIN hierarchy features"},
			},
		},
	}
}

func platform() teamSpec {
	feature, fix, chore := engineering([]string{"the deploy controller", "the artifact cache",
		"the CI runner autoscaler", "the secrets sync job", "the cluster bootstrap script",
		"the cost exporter", "the ingress gateway", "the log shipper", "the backup operator", "the DNS sync job",
		"the image builder", "the preview environments", "the certificate rotator", "the on-call bot"})
	infra := group{
		templates: []string{"Add autoscaling for %s", "Migrate %s to Terraform modules", "Add alerts for %s",
			"Harden network policy for %s", "Enable encryption at rest for %s", "Move %s to the shared cluster",
			"Rightsize requests and limits for %s", "Add a staging copy of %s"},
		nouns: []string{"the GPU node pool", "the Karpenter provisioner", "Argo CD apps", "Vault",
			"the ingress controller", "the artifact registry", "the Kafka cluster", "the model serving pool",
			"the Postgres fleet", "the observability stack"},
	}
	return teamSpec{
		name: "Platform",
		people: []person{
			{login: "jbauer", research: 0.05, weight: 0.6},
			{login: "nina-petrova", research: 0.1, weight: 1.2},
			{login: "rpatel", research: 0, weight: 1.1},
			{login: "ocampbell", research: 0.1, weight: 1},
			{login: "esvensson", research: 0.15, weight: 0.9},
			{login: "mwright", research: 0, weight: 1},
			{login: "lkowalski", research: 0.05, weight: 0.8},
		},
		outsiders: []person{{login: "ahmed-sec", weight: 1}},
		repos: []repoSpec{
			{source: domain.GitHub, path: "acme/platform-infra", base: "main", share: 0.5, firstNumber: 4120,
				deploy: envDeploys, staging: "staging", production: "production", exact: true, perWeek: 10,
				bots: []string{"renovate[bot]"}},
			{source: domain.GitHub, path: "acme/deploy-tools", base: "main", share: 0.3, firstNumber: 870,
				deploy: envDeploys, staging: "staging", production: "production", perWeek: 5,
				bots: []string{"dependabot[bot]"}},
			{source: domain.GitLab, path: "acme/infra/terraform-modules", base: "main", share: 0.2, firstNumber: 1290,
				deploy: envDeploys, production: "production", tiered: true, exact: true, perWeek: 3,
				bots: []string{"renovate-bot"}},
		},
		target:         domain.Split{Research: 10, Engineering: 90},
		changesPerWeek: 32,
		researchShare:  0.05,
		timing:         timing{coding: 5, pickup: 1, review: 1.5},
		trend: func(age float64) (float64, float64) {
			f := 0.6 + 0.8*age/14 // faster lately: merge queue and smaller changes
			return f, f
		},
		unreviewed:  0.07,
		experiments: 3,
		expRepos:    []int{0},
		expGap:      20 * time.Hour,
		benchmarks:  true,
		stories: []expStory{
			{repo: 0, slug: "spot-gpu-nodes", title: "Spot GPU nodes for training jobs",
				firstAgo: 9 * day, lastAgo: 4 * day, runs: 5, fate: adopted, decideAgo: 2 * day},
			{repo: 0, slug: "bazel-remote-cache", title: "Bazel remote cache for CI images",
				firstAgo: 6 * day, lastAgo: 5 * day, runs: 2, fate: abandonedClose, decideAgo: 4*day + 20*time.Hour},
		},
		failures: []failStory{{repo: 0, ago: 2*day + 6*time.Hour, recoverAfter: time.Hour + 10*time.Minute}},
		waiting:  []time.Duration{26 * time.Hour},
		guardrails: []domain.Guardrail{
			guardrail("cycle_time.p50", domain.LE, 24*3600, "24h"),
			guardrail("deploys_per_week", domain.GE, 5, "5"),
		},
		vocab: vocab{
			research: []group{{
				templates: []string{"Spike: evaluate %s", "Benchmark %s for CI", "Prototype %s on staging",
					"Spike: cost model for %s"},
				nouns: []string{"Cilium", "Karpenter consolidation", "a Bazel remote cache", "spot GPU nodes",
					"OpenTofu", "BuildKit cache mounts", "ARM runners", "eBPF profiling"},
			}},
			feature: []group{feature, infra},
			fix:     []group{fix},
			chore:   []group{chore},
			deps: []dep{{"terraform-provider-aws", 5, 52, 0}, {"helm", 3, 15, 1}, {"grpc", 1, 64, 0},
				{"cert-manager", 1, 14, 4}, {"argo-cd", 2, 11, 2}, {"golang.org/x/net", 0, 26, 0}},
			topics: []topic{
				{"arm-runners", "ARM runners for the CI fleet"}, {"buildkit-cache-mounts", "BuildKit cache mounts for image builds"},
				{"karpenter-consolidation", "Karpenter consolidation for batch nodes"}, {"cilium-dataplane", "Cilium eBPF dataplane"},
			},
		},
	}
}

func searchRanking() teamSpec {
	feature, fix, chore := engineering([]string{"the query parser", "the ranking service",
		"the index builder", "the autocomplete endpoint", "the click log consumer",
		"the spelling corrector", "the facet counter", "the search API gateway", "the relevance dashboard",
		"the catalog sync", "the query log exporter", "the A/B assignment client", "the result cache", "the synonym loader"})
	return teamSpec{
		name: "Search Ranking",
		people: []person{
			{login: "akumar", research: 0.3, weight: 0.6},
			{login: "bwilliams", research: 0.2, weight: 1},
			{login: "cdubois", research: 0.5, weight: 1},
			{login: "ytanaka", research: 0.4, weight: 1},
			{login: "fmorales", research: 0.1, weight: 1.1},
			{login: "gschmidt", research: 0.15, weight: 1},
			{login: "hnguyen", research: 0.45, weight: 0.9},
			{login: "ijohansson", research: 0.2, weight: 0.8},
		},
		outsiders: []person{{login: "ahmed-sec", weight: 1}},
		repos: []repoSpec{
			{source: domain.GitHub, path: "acme/search-ranker", base: "main", share: 0.6, firstNumber: 2610,
				deploy: envDeploys, staging: "staging", production: "production", perWeek: 4,
				bots: []string{"dependabot[bot]"}},
			{source: domain.GitHub, path: "acme/search-api", base: "main", share: 0.4, firstNumber: 1475,
				deploy: workflowDeploys, perWeek: 6, bots: []string{"renovate[bot]"}},
		},
		target:         domain.Split{Research: 30, Engineering: 70},
		changesPerWeek: 26,
		researchShare:  0.18,
		timing:         timing{coding: 9, pickup: 1.6, review: 4},
		trend: func(age float64) (float64, float64) {
			f := 1 + 0.5*math.Exp(-(age-6)*(age-6)/4) // the index migration six weeks ago slowed everything
			return f, f
		},
		unreviewed:  0.03,
		experiments: 12,
		expRepos:    []int{0},
		expGap:      10 * time.Hour,
		stories: []expStory{
			{repo: 0, slug: "bm25-query-expansion", title: "Query expansion with BM25 pseudo-relevance feedback",
				firstAgo: 10 * day, lastAgo: 8 * day, runs: 3, fate: abandonedClose, decideAgo: 7*day + 12*time.Hour},
			{repo: 0, slug: "lambdamart-freshness", title: "LambdaMART with freshness features",
				firstAgo: 13 * day, lastAgo: 3 * day, runs: 7, fate: adopted, decideAgo: day + 8*time.Hour},
			{repo: 0, slug: "colbert-reranker", title: "ColBERT reranker for the top 100 results",
				firstAgo: 35 * day, lastAgo: 23 * day, runs: 4},
			{repo: 0, slug: "typo-tolerance-ngrams", title: "Character n-gram typo tolerance",
				firstAgo: 2 * day, lastAgo: 50 * time.Minute, runs: 5, last: lastRunning},
		},
		failures: []failStory{{repo: 1, ago: 8*day + 2*time.Hour, recoverAfter: 4*time.Hour + 45*time.Minute, revert: true}},
		waiting:  []time.Duration{2*day + 6*time.Hour, 5 * time.Hour},
		vocab: vocab{
			research: []group{{
				templates: []string{"Evaluate %s on the judged query set", "Add %s to the LTR feature set",
					"Offline A/B of %s", "Spike: %s for long-tail queries", "Measure NDCG@10 impact of %s",
					"Tune %s with Bayesian optimisation", "Interleaving test of %s",
					"Error analysis of %s on head queries", "Add %s to the offline eval report"},
				nouns: []string{"query expansion", "click-through priors", "BM25F field weights", "dense retrieval",
					"a cross-encoder reranker", "the freshness boost", "typo tolerance", "the synonym graph",
					"session context features", "price sensitivity features"},
			}},
			feature: []group{feature},
			fix:     []group{fix},
			chore:   []group{chore},
			deps: []dep{{"lucene", 9, 10, 0}, {"grpc", 1, 64, 0}, {"jackson", 2, 17, 1},
				{"onnxruntime", 1, 18, 0}, {"netty", 4, 1, 111}},
			topics: []topic{
				{"ltr-click-features", "Click features in the LTR model"}, {"query-intent-classifier", "Query intent classifier for routing"},
				{"dense-retrieval-e5", "Dense retrieval with E5 embeddings"}, {"position-bias-correction", "Position bias correction in click labels"},
				{"synonym-graph-v3", "Third synonym graph from query logs"}, {"freshness-decay", "Exponential freshness decay"},
				{"personalised-boost", "Personalised category boost"}, {"cross-encoder-distill", "Distilled cross-encoder reranker"},
				{"query-length-buckets", "Separate models per query length"}, {"zero-result-rewrite", "Rewrite zero-result queries"},
				{"title-embedding-sim", "Title embedding similarity feature"}, {"brand-affinity", "Brand affinity from past purchases"},
			},
		},
	}
}

func forecasting() teamSpec {
	feature, fix, chore := engineering([]string{"the demand API", "the nightly forecast job",
		"the SKU loader", "the backtest runner", "the forecast export", "the store calendar sync",
		"the promotions ingest", "the accuracy report", "the inventory feed", "the store hierarchy sync",
		"the forecast API client", "the retraining scheduler", "the data quality checks", "the planner export"})
	return teamSpec{
		name: "Forecasting",
		people: []person{
			{login: "hberg", gitlab: "hannah.berg", research: 0.3, weight: 0.6},
			{login: "dkim", research: 0.5, weight: 0.5},
			{login: "tfischer", research: 0.4, weight: 1},
			{login: "wadeyemi", research: 0.5, weight: 1},
			{login: "xli", research: 0.3, weight: 1.1},
			{login: "zrossi", research: 0.35, weight: 1},
		},
		outsiders: []person{{login: "kgarcia", weight: 1}},
		repos: []repoSpec{
			{source: domain.GitLab, path: "acme/data/forecasting", base: "main", share: 0.45, firstNumber: 760,
				deploy: envDeploys, staging: "staging", production: "production", tiered: true, exact: true,
				perWeek: 3, bots: []string{"renovate-bot"}},
			{source: domain.GitLab, path: "acme/data/pipelines", base: "master", share: 0.35, firstNumber: 1930,
				deploy: envDeploys, production: "production", tiered: true, exact: true, perWeek: 3},
			{source: domain.GitHub, path: "acme/forecast-service", base: "main", share: 0.2, firstNumber: 402,
				deploy: envDeploys, staging: "staging", production: "live", perWeek: 1.5,
				bots: []string{"dependabot[bot]"}},
		},
		target:         domain.Split{Research: 40, Engineering: 60},
		changesPerWeek: 19,
		researchShare:  0.28,
		timing:         timing{coding: 10, pickup: 2.2, review: 5},
		trend: func(age float64) (float64, float64) {
			if age < 3 { // two of the usual reviewers out: pickup balloons
				return 1.1, 4.5
			}
			return 1, 1
		},
		unreviewed:  0.03,
		experiments: 14,
		expRepos:    []int{0},
		expGap:      20 * time.Hour,
		stories: []expStory{
			{repo: 0, slug: "prophet-holiday-effects", title: "Prophet with holiday effects for regional demand",
				firstAgo: 11 * day, lastAgo: 9 * day, runs: 3, fate: abandonedClose, decideAgo: 8 * day},
			{repo: 0, slug: "quantile-loss-tft", title: "Temporal fusion transformer with quantile loss",
				firstAgo: 26 * day, lastAgo: 5 * day, runs: 8, fate: adopted, decideAgo: 3 * day},
			{repo: 0, slug: "hierarchical-reconciliation", title: "Hierarchical reconciliation of store forecasts",
				firstAgo: 20 * day, lastAgo: 12*day + 6*time.Hour, runs: 4},
			{repo: 0, slug: "weather-covariates", title: "Weather covariates for fresh produce",
				firstAgo: 33 * day, lastAgo: 27 * day, runs: 2},
			{repo: 0, slug: "sparse-sku-croston", title: "Croston's method for sparse SKUs",
				firstAgo: 15 * day, lastAgo: 13 * day, runs: 2, fate: abandonedLabel, decideAgo: 10 * day},
		},
		failures: []failStory{{repo: 0, ago: 3*day + 20*time.Hour, recoverAfter: 6 * time.Hour}},
		waiting:  []time.Duration{6*day + 2*time.Hour, 3*day + time.Hour, 20 * time.Hour},
		vocab: vocab{
			research: []group{{
				templates: []string{"Backtest %s on last year's holiday weeks", "Add %s to the demand model",
					"Evaluate %s against the seasonal naive baseline", "Spike: %s for sparse SKUs",
					"Compare %s at store level", "Tune %s hyperparameters",
					"Measure WAPE impact of %s", "Add %s to the backtest suite", "Error analysis of %s on new stores"},
				nouns: []string{"hierarchical reconciliation", "weather covariates", "promotion calendar features",
					"the temporal fusion transformer", "quantile loss", "intermittent demand models",
					"price elasticity features", "holiday effects", "store clustering", "lead-time uncertainty"},
			}},
			feature: []group{feature},
			fix:     []group{fix},
			chore:   []group{chore},
			deps: []dep{{"pandas", 2, 2, 2}, {"statsmodels", 0, 14, 2}, {"lightgbm", 4, 3, 0},
				{"dbt-core", 1, 8, 1}, {"pyarrow", 16, 1, 0}},
			topics: []topic{
				{"nbeats-baseline", "N-BEATS baseline for weekly demand"}, {"promo-uplift-model", "Separate promotion uplift model"},
				{"store-clusters-kmeans", "Store clusters as a covariate"}, {"log-transform-target", "Log-transformed demand target"},
				{"lag-feature-search", "Automated lag feature search"}, {"price-elasticity-priors", "Bayesian price elasticity priors"},
				{"ensemble-weights", "Learned ensemble weights"}, {"stockout-censoring", "Censored demand during stockouts"},
				{"regional-holidays", "Regional school holiday calendar"}, {"deepar-global", "One global DeepAR model"},
				{"markdown-effects", "Markdown price effects"}, {"new-store-cold-start", "Cold start for new stores"},
				{"weekly-to-daily", "Disaggregate weekly forecasts to days"}, {"event-covariates", "Local event covariates"},
			},
		},
	}
}
