// Kubernetes versions an eks-cluster may run, and the managed add-on version pinned for each. An
// upgrade of the control plane moves every add-on to its row, so add-ons follow the cluster.
// Versions are those EKS lists for the release (`aws eks describe-addon-versions
// --kubernetes-version <v>`); a new Kubernetes version is one new row, checked the same way.

export const KUBERNETES_VERSIONS = ["1.31", "1.32", "1.33", "1.34"] as const;
export type KubernetesVersion = (typeof KUBERNETES_VERSIONS)[number];

export const ADDON_NAMES = [
  "vpc-cni",
  "kube-proxy",
  "coredns",
  "eks-pod-identity-agent",
  "aws-ebs-csi-driver",
  // Resource metrics for HorizontalPodAutoscalers (workloads scale on CPU); an EKS community add-on.
  "metrics-server",
] as const;
export type AddonName = (typeof ADDON_NAMES)[number];

export const ADDON_VERSIONS: Record<KubernetesVersion, Record<AddonName, string>> = {
  "1.31": {
    "vpc-cni": "v1.20.4-eksbuild.1",
    "kube-proxy": "v1.31.10-eksbuild.8",
    coredns: "v1.11.4-eksbuild.14",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.2",
    "metrics-server": "v0.8.0-eksbuild.2",
  },
  "1.32": {
    "vpc-cni": "v1.20.4-eksbuild.1",
    "kube-proxy": "v1.32.6-eksbuild.8",
    coredns: "v1.11.4-eksbuild.14",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.2",
    "metrics-server": "v0.8.0-eksbuild.2",
  },
  "1.33": {
    "vpc-cni": "v1.20.4-eksbuild.1",
    "kube-proxy": "v1.33.3-eksbuild.6",
    coredns: "v1.12.2-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.2",
    "metrics-server": "v0.8.0-eksbuild.2",
  },
  "1.34": {
    "vpc-cni": "v1.20.4-eksbuild.1",
    "kube-proxy": "v1.34.0-eksbuild.4",
    coredns: "v1.12.3-eksbuild.1",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.2",
    "metrics-server": "v0.8.0-eksbuild.2",
  },
};
