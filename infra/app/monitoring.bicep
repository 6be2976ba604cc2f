// Log Analytics + workspace-based Application Insights (local auth off: the app authenticates with its identity).
param logAnalyticsName string
param applicationInsightsName string
param location string
param tags object

module workspace 'br/public:avm/res/operational-insights/workspace:0.11.1' = {
  name: 'log-analytics'
  params: {
    name: logAnalyticsName
    location: location
    tags: tags
    dataRetention: 30
  }
}

module insights 'br/public:avm/res/insights/component:0.6.0' = {
  name: 'application-insights'
  params: {
    name: applicationInsightsName
    location: location
    tags: tags
    workspaceResourceId: workspace.outputs.resourceId
    disableLocalAuth: true
  }
}

output applicationInsightsName string = insights.outputs.name
output applicationInsightsConnectionString string = insights.outputs.connectionString
