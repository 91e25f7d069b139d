import type { UpstreamProviderName } from '../../shared/contract/gateway.js';
import { anthropicProvider } from './anthropic-provider.js';
import { geminiProvider } from './gemini-provider.js';
import { azureOpenAI, openAICompatible, type UpstreamProvider } from './providers.js';

/** Every upstream provider by the name a deployment's `provider` holds. */
export const upstreamProviders: Readonly<Record<UpstreamProviderName, UpstreamProvider>> = {
  'openai-compatible': openAICompatible,
  anthropic: anthropicProvider,
  gemini: geminiProvider,
  'azure-openai': azureOpenAI,
};

/** The provider serving a deployment. */
export function providerOf(deployment: { readonly provider: UpstreamProviderName }): UpstreamProvider {
  return upstreamProviders[deployment.provider];
}
