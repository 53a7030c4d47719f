import { SetMetadata } from '@nestjs/common';

export const EPHEMERAL = Symbol('socket:ephemeral');

/** Fire-and-forget allowed (typing): worthless when late, harmless when lost, never stored. */
export const Ephemeral = (): MethodDecorator => SetMetadata(EPHEMERAL, true);
