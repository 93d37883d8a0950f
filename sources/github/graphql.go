package github

import (
	"time"

	"github.com/shurcooL/githubv4"
)

// The GraphQL documents pace sends, as githubv4 query structs. Every one
// is validated against GitHub's published schema in schema_test.go.
//
// Page sizes: pull requests and deployments come 100 a page (the API's
// maximum). Nested connections are sized for GitHub's cost formula (a
// nested connection costs one "request" per parent, and reviews' comments
// one per review), so a page of 100 pull requests costs about 26 points
// and stays far below the 500,000-node limit; whatever overflows a
// nested page is fetched by the follow-up queries below.

// pageInfo is a connection's paging state.
type pageInfo struct {
	HasNextPage bool
	EndCursor   githubv4.String
}

// actor is any GraphQL Actor; it is null for deleted accounts ("ghost").
type actor struct {
	Login string
}

type prCommit struct {
	Commit struct {
		Oid          string
		AuthoredDate time.Time
		Author       *struct {
			User *actor
		}
	}
}

type prCommits struct {
	PageInfo pageInfo
	Nodes    []prCommit
}

type commentNode struct {
	Author    *actor
	CreatedAt time.Time
}

type commentConn struct {
	PageInfo pageInfo
	Nodes    []commentNode
}

type reviewNode struct {
	ID          string
	Author      *actor
	State       string
	SubmittedAt *time.Time
	Comments    commentConn `graphql:"comments(first: 20)"`
}

type reviewConn struct {
	PageInfo pageInfo
	Nodes    []reviewNode
}

type timelineNode struct {
	Typename            string `graphql:"__typename"`
	ReadyForReviewEvent struct {
		CreatedAt time.Time
	} `graphql:"... on ReadyForReviewEvent"`
	ConvertToDraftEvent struct {
		CreatedAt time.Time
	} `graphql:"... on ConvertToDraftEvent"`
}

// prNode is everything pace reads about one pull request.
type prNode struct {
	Number      int
	URL         string `graphql:"url"`
	Title       string
	Author      *actor
	IsDraft     bool
	State       string
	BaseRefName string
	HeadRefName string
	CreatedAt   time.Time
	UpdatedAt   time.Time
	MergedAt    *time.Time
	ClosedAt    *time.Time
	MergeCommit *struct {
		Oid string
	}
	Labels struct {
		Nodes []struct {
			Name string
		}
	} `graphql:"labels(first: 50)"`
	Commits       prCommits   `graphql:"commits(first: 100)"`
	Reviews       reviewConn  `graphql:"reviews(first: 20)"`
	Comments      commentConn `graphql:"comments(first: 100)"`
	TimelineItems struct {
		Nodes []timelineNode
	} `graphql:"timelineItems(first: 20, itemTypes: [READY_FOR_REVIEW_EVENT, CONVERT_TO_DRAFT_EVENT])"`
}

// changesQuery pages a repo's pull requests, most recently updated first.
type changesQuery struct {
	Repository *struct {
		PullRequests struct {
			PageInfo pageInfo
			Nodes    []prNode
		} `graphql:"pullRequests(first: $first, after: $after, orderBy: {field: UPDATED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// prCommitsQuery fetches the commits of a pull request past the first page.
type prCommitsQuery struct {
	Repository *struct {
		PullRequest *struct {
			Commits prCommits `graphql:"commits(first: 100, after: $after)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// prReviewsQuery fetches the reviews of a pull request past the first page.
type prReviewsQuery struct {
	Repository *struct {
		PullRequest *struct {
			Reviews reviewConn `graphql:"reviews(first: 50, after: $after)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// prCommentsQuery fetches the conversation comments past the first page.
type prCommentsQuery struct {
	Repository *struct {
		PullRequest *struct {
			Comments commentConn `graphql:"comments(first: 100, after: $after)"`
		} `graphql:"pullRequest(number: $number)"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// reviewCommentsQuery fetches a review's comments past the first page.
type reviewCommentsQuery struct {
	Node *struct {
		Review struct {
			Comments commentConn `graphql:"comments(first: 100, after: $after)"`
		} `graphql:"... on PullRequestReview"`
	} `graphql:"node(id: $id)"`
}

// deploymentNode is everything pace reads about one deployment.
type deploymentNode struct {
	ID                string
	DatabaseID        *int64 `graphql:"databaseId"`
	Environment       *string
	LatestEnvironment *string
	CommitOid         string
	State             *string
	CreatedAt         time.Time
	Ref               *struct {
		Name string
	}
	Statuses struct {
		Nodes []struct {
			State     string
			CreatedAt time.Time
		}
	} `graphql:"statuses(first: 20)"`
}

// deploymentsQuery pages a repo's deployments, newest first.
type deploymentsQuery struct {
	Repository *struct {
		URL         string `graphql:"url"`
		Deployments struct {
			PageInfo pageInfo
			Nodes    []deploymentNode
		} `graphql:"deployments(first: $first, after: $after, orderBy: {field: CREATED_AT, direction: DESC})"`
	} `graphql:"repository(owner: $owner, name: $name)"`
}

// afterVar is a connection's "after" variable: null on the first page.
func afterVar(cursor string) *githubv4.String {
	if cursor == "" {
		return nil
	}
	s := githubv4.String(cursor)
	return &s
}
