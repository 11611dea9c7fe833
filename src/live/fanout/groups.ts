// The shared groups of one graphql-ws server, by key: a joiner with a key no running group has
// starts a new group (and its execution); one with a known key joins that group.
import type { MemberStream } from './member-stream.ts';
import { SharedGroup, type FanoutSocket, type GroupExecution } from './shared-group.ts';

export interface FanoutStats {
  /** Groups running (or starting). */
  groups: number;
  /** Members across them. */
  members: number;
}

export class FanoutGroups {
  private readonly groups = new Map<string, SharedGroup>();

  /**
   * Joins the operation `id` of `socket` to the group under `key`. `execute` runs only when this
   * call starts the group; every member of a group was admitted under the same key, so any one's
   * will do.
   */
  join(key: string, id: string, socket: FanoutSocket, execute: GroupExecution): MemberStream {
    const running = this.groups.get(key);
    if (running !== undefined) return running.join(id, socket);
    const group = new SharedGroup(key, (ended) => {
      if (this.groups.get(key) === ended) this.groups.delete(key);
    });
    this.groups.set(key, group);
    const stream = group.join(id, socket);
    group.start(execute);
    return stream;
  }

  stats(): FanoutStats {
    let members = 0;
    for (const group of this.groups.values()) members += group.size;
    return { groups: this.groups.size, members };
  }
}
