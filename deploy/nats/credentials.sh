#!/usr/bin/env bash
# Makes fresh credentials (NATS passwords, the api's key) and prints them as Kubernetes Secrets
# (YAML on stdout):
#   - nats-users (namespace ninetail-nats): every user's password, as the NATS servers'
#     environment (accounts.conf reads $NINETAIL_FETCH_PASSWORD, …);
#   - ninetail-nats (namespace of the apps): the NATS URL every app connects to;
#   - ninetail-<component>-nats (namespace of the apps): that component's user name and password;
#   - ninetail-workflow-api-keys (namespace of the apps): the api's first API key (`keys`,
#     comma-separated; add more to rotate). Its Knative Service does not start without it.
# Usage: deploy/nats/credentials.sh [APP_NAMESPACE] | kubectl apply -f -
# Nothing is written to disk; run it once per installation and keep the Secrets (a second run
# makes new passwords: apply all of its output, then restart NATS and the apps).
set -euo pipefail

namespace="${1:-ninetail}"
nats_namespace="ninetail-nats"
url="tls://nats.${nats_namespace}.svc.cluster.local:4222"
components=(scheduler fetch html-scraper hook response transform workflow-api)

password() {
  # 32 characters from [A-Za-z0-9]: no quoting needed anywhere (NATS config, URLs, YAML).
  # (head closing the pipe early is how this ends, not an error.)
  (set +o pipefail; LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c 32)
}

declare -A passwords
for component in "${components[@]}"; do
  passwords[$component]="$(password)"
done
eventing_password="$(password)"
api_key="$(password)"
system_password="$(password)"

cat <<YAML
apiVersion: v1
kind: Secret
metadata:
  name: nats-users
  namespace: ${nats_namespace}
type: Opaque
stringData:
YAML
for component in "${components[@]}"; do
  variable="NINETAIL_$(tr 'a-z-' 'A-Z_' <<<"$component")_PASSWORD"
  echo "  ${variable}: \"${passwords[$component]}\""
done
echo "  KNATIVE_EVENTING_PASSWORD: \"${eventing_password}\""
echo "  NATS_SYSTEM_PASSWORD: \"${system_password}\""

cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: ninetail-nats
  namespace: ${namespace}
type: Opaque
stringData:
  url: "${url}"
YAML
for component in "${components[@]}"; do
  cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: ninetail-${component}-nats
  namespace: ${namespace}
type: Opaque
stringData:
  username: "ninetail-${component}"
  password: "${passwords[$component]}"
YAML
done
cat <<YAML
---
apiVersion: v1
kind: Secret
metadata:
  name: ninetail-workflow-api-keys
  namespace: ${namespace}
type: Opaque
stringData:
  keys: "${api_key}"
YAML
