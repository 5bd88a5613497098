{{/* Names and labels shared by the chart's objects. */}}
{{- define "gantry.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "gantry.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" }}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{/* Selector labels of one component (api, worker): pass (list $ "api"). */}}
{{- define "gantry.selector" -}}
app.kubernetes.io/name: {{ (index . 0).Chart.Name }}
app.kubernetes.io/instance: {{ (index . 0).Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{- define "gantry.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "gantry.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "gantry.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* One variable from the existing Secret; optional ones may be absent from it. */}}
{{- define "gantry.secretEnv" -}}
- name: {{ index . 1 }}
  valueFrom:
    secretKeyRef:
      name: {{ (index . 0).Values.existingSecret }}
      key: {{ index . 2 }}
      {{- if index . 3 }}
      optional: true
      {{- end }}
{{- end -}}

{{/* The environment both processes share: settings, then secrets by reference. */}}
{{- define "gantry.env" -}}
{{- $secret := required "existingSecret is required: the Secret holding DATABASE_URL, REDIS_URL and the other credentials (values.yaml, secretKeys)" .Values.existingSecret -}}
{{- $keys := .Values.secretKeys -}}
- name: GANTRY_DATA_DIR
  value: /data
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: GANTRY_SECRETS_PROVIDER
  value: {{ .Values.config.secretsProvider | quote }}
- name: GANTRY_DRIFT_INTERVAL_SECONDS
  value: {{ .Values.config.driftIntervalSeconds | quote }}
{{- with .Values.config.awsRegion }}
- name: AWS_REGION
  value: {{ . | quote }}
{{- end }}
{{- with .Values.webhooks.urls }}
- name: GANTRY_WEBHOOK_URLS
  value: {{ . | quote }}
{{- end }}
{{ include "gantry.secretEnv" (list . "DATABASE_URL" $keys.databaseUrl false) }}
{{ include "gantry.secretEnv" (list . "REDIS_URL" $keys.redisUrl false) }}
{{ include "gantry.secretEnv" (list . "PULUMI_CONFIG_PASSPHRASE" $keys.pulumiPassphrase false) }}
{{ include "gantry.secretEnv" (list . "GANTRY_SECRET_INPUT_KEY" $keys.secretInputKey false) }}
{{ include "gantry.secretEnv" (list . "GANTRY_PG_SERVER_URL" $keys.pgServerUrl false) }}
{{ include "gantry.secretEnv" (list . "GANTRY_STATE_BACKEND_URL" $keys.stateBackendUrl false) }}
{{- if .Values.webhooks.urls }}
{{ include "gantry.secretEnv" (list . "GANTRY_WEBHOOK_SECRET" $keys.webhookSecret false) }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "gantry.metricsAnnotations" -}}
{{- if (index . 0).Values.metrics.podAnnotations }}
prometheus.io/scrape: "true"
prometheus.io/port: {{ index . 1 | quote }}
prometheus.io/path: /metrics
{{- end }}
{{- end -}}
