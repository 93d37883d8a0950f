package fakegh

// The GraphQL objects of deployments and their statuses.

type deploymentObj struct {
	r *Repo
	d *Deployment
}

func (o *deploymentObj) typeName() string { return "Deployment" }

func (o *deploymentObj) resolve(field string, args map[string]any) (any, error) {
	d := o.d
	switch field {
	case "id":
		return d.NodeID, nil
	case "databaseId":
		return d.DatabaseID, nil
	case "environment", "latestEnvironment", "originalEnvironment":
		return nullable(d.Environment), nil
	case "commitOid":
		return d.SHA, nil
	case "state":
		return nullable(d.State), nil
	case "createdAt":
		return d.CreatedAt, nil
	case "ref":
		if d.Ref == "" {
			return nil, nil
		}
		return &refObj{d.Ref}, nil
	case "statuses":
		objs := make([]object, len(d.Statuses))
		for i, st := range d.Statuses {
			objs[i] = &statusObj{st}
		}
		return paginate("DeploymentStatusConnection", "statuses", objs, args)
	}
	return nil, unimplemented("Deployment", field)
}

type refObj struct{ name string }

func (o *refObj) typeName() string { return "Ref" }

func (o *refObj) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "name":
		return o.name, nil
	case "prefix":
		return "refs/heads/", nil
	}
	return nil, unimplemented("Ref", field)
}

type statusObj struct{ s Status }

func (o *statusObj) typeName() string { return "DeploymentStatus" }

func (o *statusObj) resolve(field string, _ map[string]any) (any, error) {
	switch field {
	case "state":
		return o.s.State, nil
	case "createdAt", "updatedAt":
		return o.s.CreatedAt, nil
	}
	return nil, unimplemented("DeploymentStatus", field)
}
