{{/* The worker's name: its ServiceAccount, roles, ConfigMap and Deployment. */}}
{{- define "verdict.worker" -}}
{{- printf "%s-worker" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The worker's identity as the API server sees it: admission policies match only this user. */}}
{{- define "verdict.workerUser" -}}
system:serviceaccount:{{ .Release.Namespace }}:{{ include "verdict.worker" . }}
{{- end -}}

{{- define "verdict.selectorLabels" -}}
app.kubernetes.io/name: verdict-worker
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* extraLabels first: a test may mark what it installed as its own. */}}
{{- define "verdict.labels" -}}
{{- $own := dict "app.kubernetes.io/name" "verdict-worker" "app.kubernetes.io/instance" .Release.Name "app.kubernetes.io/part-of" "verdict" "app.kubernetes.io/managed-by" .Release.Service "helm.sh/chart" (printf "%s-%s" .Chart.Name .Chart.Version) -}}
{{- toYaml (merge (dict) .Values.extraLabels $own) -}}
{{- end -}}

{{/* A policy list as the worker reads it: comma-separated, or "none". */}}
{{- define "verdict.list" -}}
{{- if . }}{{ join "," . }}{{ else }}none{{ end -}}
{{- end -}}

{{/* Names of Verdict's run objects (src/core/names.ts): verdict-<run key>-... */}}
{{- define "verdict.runObjectName" -}}
^verdict-[0-9a-f]{10,16}-
{{- end -}}
